package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Packages, cores, SMT siblings and NUMA nodes of the host's logical CPUs.
 *
 * @param online {@code /sys/devices/system/cpu/online}
 * @param possible {@code /sys/devices/system/cpu/possible}
 * @param cpus every logical CPU the platform reader found
 * @param siblings each CPU's {@code thread_siblings_list} (itself included); CPUs without one are alone
 * @param source which {@link PlatformFacts} described the CPUs
 */
public record CpuTopology(Fact<CpuSet> online, Fact<CpuSet> possible, List<LogicalCpu> cpus,
        Map<Integer, CpuSet> siblings, String source) implements JsonWritable {

    public CpuTopology {
        cpus = List.copyOf(cpus);
        siblings = Map.copyOf(siblings);
    }

    /** NUMA node id to its CPUs, ascending by node. */
    public Map<Integer, CpuSet> nodes() {
        Map<Integer, CpuSet> nodes = new TreeMap<>();
        for (LogicalCpu c : cpus) {
            nodes.merge(c.node(), CpuSet.of(c.cpu()), CpuSet::union);
        }
        return nodes;
    }

    /** The CPU and its SMT siblings. */
    public CpuSet siblingsOf(int cpu) {
        return siblings.getOrDefault(cpu, CpuSet.of(cpu));
    }

    /** The distinct sibling groups (one per core), ordered by their first CPU. */
    public List<CpuSet> cores() {
        Set<CpuSet> groups = new LinkedHashSet<>();
        cpus.stream().mapToInt(LogicalCpu::cpu).sorted().forEach(c -> groups.add(siblingsOf(c)));
        return new ArrayList<>(groups);
    }

    public int packages() {
        return (int) cpus.stream().mapToInt(LogicalCpu::packageId).distinct().count();
    }

    /** The node of {@code cpu}, or -1 when it is not known. */
    public int nodeOf(int cpu) {
        return cpus.stream().filter(c -> c.cpu() == cpu).mapToInt(LogicalCpu::node).findFirst().orElse(-1);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("online", online);
        m.put("possible", possible);
        m.put("packages", packages());
        List<CpuSet> cores = cores();
        m.put("cores", cores.size());
        m.put("threads_per_core", cores.stream().mapToInt(CpuSet::size).max().orElse(0));
        List<Object> nodes = new ArrayList<>();
        nodes().forEach((id, set) -> nodes.add(Map.of("id", id, "cpus", set.format())));
        m.put("nodes", nodes);
        m.put("siblings", cores.stream().map(CpuSet::format).toList());
        m.put("source", source);
        return m;
    }
}
