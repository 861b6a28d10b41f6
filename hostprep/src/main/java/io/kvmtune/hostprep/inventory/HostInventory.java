package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.TaskInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything kvmtune knows about a host's readiness for real-time guests, read at one moment.
 * Readiness checks and the tunables planner are pure functions of it.
 *
 * @param sysctls the sysctls that matter for latency, by name
 * @param cpuFlags the CPU feature flags
 * @param tasks every thread on the host (not in the JSON: thousands of lines; the checks report
 *     the ones that matter)
 */
public record HostInventory(CpuTopology topology, KernelInfo kernel, Isolation isolation, RtThrottling rt,
        CgroupInfo cgroups, Clocksource clocksource, MemoryInfo memory, PowerInfo power, IrqInfo irqs,
        Workqueues workqueues, KvmInfo kvm, Map<String, Fact<String>> sysctls, Set<String> cpuFlags,
        ToolVersions versions, List<GuestProcess> guests, List<TaskInfo> tasks) implements JsonWritable {

    public HostInventory {
        sysctls = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
        cpuFlags = Set.copyOf(cpuFlags);
        guests = List.copyOf(guests);
        tasks = List.copyOf(tasks);
    }

    /** A sysctl by name; an {@link Fact.Unknown} when it was not among those read. */
    public Fact<String> sysctl(String name) {
        Fact<String> f = sysctls.get(name);
        return f != null ? f : Fact.unknown(io.kvmtune.hostprep.sys.Sysctl.path(name), "not read");
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topology", topology);
        m.put("kernel", kernel);
        m.put("isolation", isolation);
        m.put("rt_throttling", rt);
        m.put("cgroups", cgroups);
        m.put("clocksource", clocksource);
        m.put("memory", memory);
        m.put("power", power);
        m.put("irqs", irqs);
        m.put("workqueues", workqueues);
        m.put("kvm", kvm);
        m.put("sysctls", sysctls);
        m.put("versions", versions);
        m.put("guests", guests);
        return m;
    }
}
