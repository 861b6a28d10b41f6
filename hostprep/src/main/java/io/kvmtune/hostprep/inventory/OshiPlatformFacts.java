package io.kvmtune.hostprep.inventory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.nativefree.SystemInfo;

/** {@link PlatformFacts} of the live host through OSHI's native-free Linux provider. */
public final class OshiPlatformFacts implements PlatformFacts {

    private final HardwareAbstractionLayer hardware;
    private final SystemInfo system;

    public OshiPlatformFacts() {
        this.system = new SystemInfo();
        this.hardware = system.getHardware();
    }

    @Override
    public String source() {
        return "oshi";
    }

    @Override
    public List<LogicalCpu> logicalCpus() {
        return hardware.getProcessor().getLogicalProcessors().stream()
                .map(p -> new LogicalCpu(p.getProcessorNumber(), p.getPhysicalProcessorNumber(),
                        p.getPhysicalPackageNumber(), p.getNumaNode()))
                .sorted(Comparator.comparingInt(LogicalCpu::cpu))
                .toList();
    }

    @Override
    public Set<String> cpuFlags() {
        Set<String> flags = new LinkedHashSet<>();
        for (String line : hardware.getProcessor().getFeatureFlags()) {
            // Each entry is a whole "flags : a b c" line of /proc/cpuinfo.
            int colon = line.indexOf(':');
            Arrays.stream(line.substring(colon + 1).strip().split("\\s+"))
                    .filter(s -> !s.isEmpty())
                    .forEach(flags::add);
        }
        return flags;
    }

    @Override
    public Optional<String> kernelRelease() {
        return Optional.ofNullable(system.getOperatingSystem().getVersionInfo().getBuildNumber())
                .filter(s -> !s.isBlank());
    }

    @Override
    public Optional<String> virtualization() {
        return hardware.getVirtualization().filter(s -> !s.isBlank());
    }
}
