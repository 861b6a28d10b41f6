package io.kvmtune.core.plan;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why the planner decided something: the decision in words, and the spec key or host setting
 * (with its value) that caused it, such as {@code hw:cpu_realtime_mask=^0}.
 */
public record Reason(String decision, String because) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decision", decision);
        m.put("because", because);
        return m;
    }

    public static Reason fromJson(JsonObject o) {
        return new Reason(o.string("decision"), o.string("because"));
    }
}
