package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The system clocksource in use and the ones the kernel could fall back to. */
public record Clocksource(Fact<String> current, Fact<List<String>> available) implements JsonWritable {

    /** True when the HPET is among the available clocksources. */
    public boolean hpetAvailable() {
        return available.value().map(a -> a.contains("hpet")).orElse(false);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("current", current);
        m.put("available", available);
        m.put("hpet", hpetAvailable());
        return m;
    }
}
