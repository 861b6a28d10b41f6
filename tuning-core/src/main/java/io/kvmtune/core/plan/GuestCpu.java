package io.kvmtune.core.plan;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest {@code <cpu>} element as Nova writes it.
 *
 * @param mode {@code host-model}, {@code host-passthrough} or {@code custom}; {@code null} for
 *     {@code cpu_mode=none} (an element with no mode and no model)
 * @param model the named model for {@code custom} (libvirt's spelling), else {@code null}
 * @param features extra features, kept sorted by name as Nova writes them
 */
public record GuestCpu(String mode, String model, List<CpuFeature> features) implements JsonWritable {

    public GuestCpu {
        // not Comparator.comparing: a serializable lambda, which the JDK's AOT cache cannot keep
        // (spinning it costs the libvirt hook ~3 ms of its start)
        features = features.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("model", model);
        m.put("features", features);
        return m;
    }

    public static GuestCpu fromJson(JsonObject o) {
        return new GuestCpu(o.optString("mode").orElse(null), o.optString("model").orElse(null),
                o.objects("features").stream().map(CpuFeature::fromJson).toList());
    }
}
