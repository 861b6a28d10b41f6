package io.kvmtune.core.plan;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code <feature policy name>} of the guest CPU element.
 *
 * @param name libvirt's feature name, lower case
 * @param policy {@code require} or {@code disable} (from {@code +flag}/{@code flag} and {@code -flag})
 */
public record CpuFeature(String name, String policy) implements JsonWritable {

    public CpuFeature {
        if (!policy.equals("require") && !policy.equals("disable")) {
            throw new IllegalArgumentException("feature " + name + ": policy must be require or disable, not " + policy);
        }
    }

    /** The feature as written in {@code cpu_model_extra_flags}: {@code +name} or {@code -name}. */
    public String flag() {
        return (policy.equals("require") ? "+" : "-") + name;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("policy", policy);
        return m;
    }

    public static CpuFeature fromJson(JsonObject o) {
        try {
            return new CpuFeature(o.string("name"), o.string("policy"));
        } catch (IllegalArgumentException e) {
            throw PlanJson.invalid(o.path() + ".policy", o.get("policy"), e.getMessage());
        }
    }
}
