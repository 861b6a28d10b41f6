package io.kvmtune.core.plan;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Guest memory backing: libvirt's {@code <memoryBacking>} children.
 *
 * @param locked guest and QEMU memory locked ({@code <locked/>}; realtime or {@code hw:locked_memory})
 * @param noSharePages KSM merging off for the guest ({@code <nosharepages/>}; realtime)
 */
public record MemoryPlan(boolean locked, boolean noSharePages) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("locked", locked);
        m.put("nosharepages", noSharePages);
        return m;
    }

    public static MemoryPlan fromJson(JsonObject o) {
        return new MemoryPlan(o.bool("locked"), o.optBool("nosharepages").orElse(false));
    }
}
