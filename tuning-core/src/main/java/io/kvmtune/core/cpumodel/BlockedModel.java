package io.kvmtune.core.cpumodel;

import io.kvmtune.core.json.JsonWritable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A named model some hosts of a pool can run and others cannot: the hosts that block it, each with
 * the model's features it lacks. Part of {@link CpuBaseline}.
 *
 * @param model libvirt's model name
 * @param vendor the model's vendor, or empty for generic models
 * @param blockedBy host name to the model's features that host lacks, in the pool's host order
 */
public record BlockedModel(String model, Optional<String> vendor, Map<String, SortedSet<String>> blockedBy)
        implements JsonWritable {

    public BlockedModel {
        Map<String, SortedSet<String>> copy = new LinkedHashMap<>();
        blockedBy.forEach((host, missing) -> copy.put(host, Collections.unmodifiableSortedSet(new TreeSet<>(missing))));
        blockedBy = Collections.unmodifiableMap(copy);
    }

    @Override
    public Object toJson() {
        List<Map<String, Object>> hosts = new ArrayList<>();
        blockedBy.forEach((host, missing) -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("host", host);
            h.put("missing", missing);
            hosts.add(h);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("vendor", vendor.orElse(null));
        m.put("blocked_by", hosts);
        return m;
    }
}
