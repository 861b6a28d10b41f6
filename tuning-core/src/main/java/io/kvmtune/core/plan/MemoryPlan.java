package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Guest memory backing: libvirt's {@code <memoryBacking>} children, and where huge pages come from.
 *
 * @param locked guest and QEMU memory locked ({@code <locked/>}; realtime or {@code hw:locked_memory})
 * @param noSharePages KSM merging off for the guest ({@code <nosharepages/>}; realtime)
 * @param hugePageKib the page size backing all guest memory ({@code <hugepages><page size=...>}),
 *     or 0 for the host's base pages
 * @param hugePageNodes the host NUMA nodes whose free pages of that size were checked, to which the
 *     guest's memory is bound ({@code <numatune><memory mode="strict">}); empty without huge pages
 */
public record MemoryPlan(boolean locked, boolean noSharePages, long hugePageKib, CpuSet hugePageNodes)
        implements JsonWritable {

    public MemoryPlan {
        if (hugePageKib < 0 || (hugePageKib == 0) != hugePageNodes.isEmpty()) {
            throw new IllegalArgumentException("huge pages of " + hugePageKib + " KiB need host nodes, and only they: "
                    + hugePageNodes);
        }
    }

    /** Memory in the host's base pages. */
    public MemoryPlan(boolean locked, boolean noSharePages) {
        this(locked, noSharePages, 0, CpuSet.empty());
    }

    /** Whether the guest's memory is in huge pages. */
    public boolean hugePages() {
        return hugePageKib > 0;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("locked", locked);
        m.put("nosharepages", noSharePages);
        m.put("hugepage_size_kib", hugePages() ? hugePageKib : null);
        m.put("hugepage_host_nodes", hugePages() ? PlanJson.cpus(hugePageNodes) : null);
        return m;
    }

    public static MemoryPlan fromJson(JsonObject o) {
        long size = o.optInteger("hugepage_size_kib").orElse(0L);
        CpuSet nodes = size > 0 ? PlanJson.cpus(o, "hugepage_host_nodes") : CpuSet.empty();
        if (size < 0 || (size > 0 && nodes.isEmpty())) {
            throw new JsonException(o.path() + ".hugepage_size_kib needs a positive size and hugepage_host_nodes, or null", -1);
        }
        return new MemoryPlan(o.bool("locked"), o.optBool("nosharepages").orElse(false), size, nodes);
    }
}
