package io.kvmtune.core.cpumodel;

import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Whether this host can run one named model: it can when it has every feature the model gives
 * a guest. The model's vendor is reported but not required, as QEMU runs an Intel model on an
 * AMD host when the features are there.
 *
 * @param name libvirt's model name
 * @param vendor the model's vendor, or empty for generic models
 * @param missing the model's features this host lacks, sorted
 */
public record ModelVerdict(String name, Optional<String> vendor, SortedSet<String> missing) implements JsonWritable {

    public ModelVerdict {
        missing = Collections.unmodifiableSortedSet(new TreeSet<>(missing));
    }

    /** True when the host has every feature of the model. */
    public boolean runnable() {
        return missing.isEmpty();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("vendor", vendor.orElse(null));
        m.put("runnable", runnable());
        m.put("missing", missing);
        return m;
    }

    /** Reads the form {@link #toJson} writes; {@code runnable} must agree with {@code missing}. */
    public static ModelVerdict fromJson(JsonObject o) {
        ModelVerdict v = new ModelVerdict(o.string("name"), o.optString("vendor"), JsonSets.strings(o, "missing"));
        if (o.bool("runnable") != v.runnable()) {
            throw new JsonException(o.path() + ".runnable is " + o.bool("runnable") + " but missing is " + v.missing(), -1);
        }
        return v;
    }
}
