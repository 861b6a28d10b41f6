package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.topology.Core;
import io.kvmtune.core.topology.HostArch;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.SysfsTopologyReader;
import io.kvmtune.hostprep.sys.HostFs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link PlatformFacts} read from a /proc and /sys tree, for hosts described by a test fixture. */
public final class SysfsPlatformFacts implements PlatformFacts {

    private final HostFs fs;

    public SysfsPlatformFacts(HostFs fs) {
        this.fs = fs;
    }

    @Override
    public String source() {
        return "sysfs";
    }

    /** The online CPUs as tuning-core's sysfs topology reader sees them. */
    @Override
    public List<LogicalCpu> logicalCpus() {
        HostTopology topology = new SysfsTopologyReader(fs.root()).read(HostArch.current());
        List<LogicalCpu> cpus = new ArrayList<>();
        for (Core core : topology.cores()) {
            core.threads().forEach(cpu -> cpus.add(new LogicalCpu(cpu, core.coreId(), core.packageId(),
                    topology.nodeOf(cpu).id())));
        }
        cpus.sort((a, b) -> Integer.compare(a.cpu(), b.cpu()));
        return cpus;
    }

    @Override
    public Set<String> cpuFlags() {
        Set<String> flags = new LinkedHashSet<>();
        fs.read("/proc/cpuinfo").ifPresent(text -> text.lines()
                .filter(l -> l.startsWith("flags") || l.startsWith("Features"))
                .forEach(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).strip().split("\\s+"))
                        .filter(s -> !s.isEmpty())
                        .forEach(flags::add)));
        return flags;
    }

    @Override
    public Optional<String> kernelRelease() {
        return fs.read("/proc/sys/kernel/osrelease").map(String::strip);
    }

    @Override
    public Optional<String> virtualization() {
        if (!cpuFlags().contains("hypervisor")) {
            return Optional.empty();
        }
        return fs.read("/sys/class/dmi/id/sys_vendor").map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> Optional.of("unknown hypervisor"));
    }

}
