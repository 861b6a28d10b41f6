package io.kvmtune.hostprep;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.suggest.BootParameters;
import io.kvmtune.hostprep.suggest.NovaConfSuggestion;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an operator sets outside kvmtune for a partition: the kernel command line and nova.conf. */
public record Suggestions(BootParameters boot, NovaConfSuggestion nova) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel_cmdline", boot);
        m.put("nova_conf", nova);
        return m;
    }
}
