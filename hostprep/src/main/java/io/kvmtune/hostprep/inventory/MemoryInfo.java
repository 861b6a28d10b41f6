package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory settings that decide guest latency: transparent huge pages, KSM and the huge page pools.
 *
 * @param thpEnabled the selected word of {@code transparent_hugepage/enabled}
 * @param thpDefrag the selected word of {@code transparent_hugepage/defrag}
 * @param ksmRun {@code /sys/kernel/mm/ksm/run} (0 stopped, 1 running, 2 unmerged and stopped)
 * @param hugePages the pools per NUMA node
 */
public record MemoryInfo(Fact<String> thpEnabled, Fact<String> thpDefrag, Fact<String> ksmRun,
        List<HugePagePool> hugePages) implements JsonWritable {

    public MemoryInfo {
        hugePages = List.copyOf(hugePages);
    }

    /** One node's pool of one page size. */
    public record HugePagePool(int node, long sizeKb, long total, long free, long surplus) implements JsonWritable {
        @Override
        public Object toJson() {
            return Map.of("node", node, "size_kb", sizeKb, "total", total, "free", free, "surplus", surplus);
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("thp_enabled", thpEnabled);
        m.put("thp_defrag", thpDefrag);
        m.put("ksm_run", ksmRun);
        m.put("hugepages", hugePages);
        return m;
    }
}
