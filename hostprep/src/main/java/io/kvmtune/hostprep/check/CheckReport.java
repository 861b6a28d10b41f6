package io.kvmtune.hostprep.check;

import io.kvmtune.core.json.JsonWritable;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** The readiness verdicts for one partition. */
public record CheckReport(Partition partition, List<CheckResult> results) implements JsonWritable {

    public CheckReport {
        results = List.copyOf(results);
    }

    /** True when any check failed: the CLI exits 1. */
    public boolean failed() {
        return results.stream().anyMatch(r -> r.status() == CheckStatus.FAIL);
    }

    public CheckResult result(String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no check " + id));
    }

    public Map<CheckStatus, Integer> counts() {
        Map<CheckStatus, Integer> counts = new EnumMap<>(CheckStatus.class);
        for (CheckStatus s : CheckStatus.values()) {
            counts.put(s, 0);
        }
        results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partition", partition);
        m.put("failed", failed());
        Map<String, Object> summary = new LinkedHashMap<>();
        counts().forEach((s, n) -> summary.put(s.name().toLowerCase(java.util.Locale.ROOT), n));
        m.put("summary", summary);
        m.put("checks", results);
        return m;
    }
}
