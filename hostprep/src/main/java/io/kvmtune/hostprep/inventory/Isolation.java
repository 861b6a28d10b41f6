package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.IsolCpus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU isolation as booted (command line) and as the kernel reports it in effect (sysfs).
 * Command-line facts come from {@code /proc/cmdline} and are absent when the parameter is.
 *
 * @param isolated {@code /sys/devices/system/cpu/isolated}: CPUs outside the scheduler domains
 * @param nohzFullActive {@code /sys/devices/system/cpu/nohz_full}; absent when the kernel lacks
 *     {@code CONFIG_NO_HZ_FULL} (unsupported, not empty)
 */
public record Isolation(Fact<IsolCpus> isolcpus, Fact<CpuSet> nohzFull, Fact<CpuSet> rcuNocbs,
        Fact<CpuSet> irqAffinity, Fact<CpuSet> isolated, Fact<CpuSet> nohzFullActive) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("isolcpus", isolcpus.value().<Object>map(i -> Map.of("flags", i.flags(), "cpus", i.cpus().format()))
                .orElse(null));
        m.put("nohz_full", nohzFull.value().map(CpuSet::format).orElse(null));
        m.put("rcu_nocbs", rcuNocbs.value().map(CpuSet::format).orElse(null));
        m.put("irqaffinity", irqAffinity.value().map(CpuSet::format).orElse(null));
        m.put("sys_isolated", isolated);
        m.put("sys_nohz_full", nohzFullActive);
        return m;
    }
}
