package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup mounts and the v2 cpuset partitions.
 *
 * @param v1Mounts v1 controller (or {@code name=systemd}) to its mount point
 * @param v2Mount the cgroup2 mount point, if any
 * @param v2Controllers {@code cgroup.controllers} of the v2 root
 * @param partitions v2 cgroups whose {@code cpuset.cpus.partition} is not {@code member}
 * @param v2Isolated the v2 root's {@code cpuset.cpus.isolated} (CPUs in isolated partitions, ~6.8+)
 */
public record CgroupInfo(CgroupMode mode, Map<String, String> v1Mounts, Optional<String> v2Mount,
        Fact<Set<String>> v2Controllers, List<CpusetPartition> partitions, Fact<CpuSet> v2Isolated)
        implements JsonWritable {

    public CgroupInfo {
        v1Mounts = Map.copyOf(v1Mounts);
        partitions = List.copyOf(partitions);
    }

    /**
     * A v2 cpuset partition.
     *
     * @param cgroup path below the v2 mount
     * @param type {@code root}, {@code isolated}, or {@code ... invalid (reason)}
     * @param cpus its {@code cpuset.cpus.effective}
     */
    public record CpusetPartition(String cgroup, String type, Fact<CpuSet> cpus) implements JsonWritable {
        public boolean isValidIsolated() {
            return type.equals("isolated");
        }

        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cgroup", cgroup);
            m.put("type", type);
            m.put("cpus", cpus);
            return m;
        }
    }

    /** True when the v2 hierarchy offers the cpuset controller. */
    public boolean v2HasCpuset() {
        return v2Controllers.value().map(c -> c.contains("cpuset")).orElse(false);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("v1_mounts", new java.util.TreeMap<>(v1Mounts));
        m.put("v2_mount", v2Mount.orElse(null));
        m.put("v2_controllers", v2Controllers.value().<Object>map(c -> c.stream().sorted().toList()).orElse(v2Controllers));
        m.put("cpuset_partitions", partitions);
        m.put("cpuset_cpus_isolated", v2Isolated);
        return m;
    }
}
