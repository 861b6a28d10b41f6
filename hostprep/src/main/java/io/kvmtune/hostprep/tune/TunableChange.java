package io.kvmtune.hostprep.tune;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One runtime setting to change: a kernel file, its value now and the value wanted.
 *
 * @param id stable name ({@code sysctl.kernel.timer_migration}, {@code irq.24.affinity})
 * @param path the host path written
 * @param format how the value is compared and written
 * @param before the value now, in writable form
 * @param after the value wanted, in writable form
 */
public record TunableChange(String id, String path, ValueFormat format, String before, String after)
        implements JsonWritable {

    /** The same setting with the value read just now as its {@code before}. */
    public TunableChange withBefore(String current) {
        return new TunableChange(id, path, format, format.normalize(current), after);
    }

    public boolean isNoop() {
        return format.same(before, after);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("path", path);
        m.put("format", format.label());
        m.put("before", before);
        m.put("after", after);
        return m;
    }

    static TunableChange fromJson(JsonObject o) {
        return new TunableChange(o.string("id"), o.string("path"), ValueFormat.ofLabel(o.string("format")),
                o.string("before"), o.string("after"));
    }
}
