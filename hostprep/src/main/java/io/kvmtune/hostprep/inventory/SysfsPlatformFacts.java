package io.kvmtune.hostprep.inventory;

import io.kvmtune.hostprep.sys.HostFs;
import io.kvmtune.hostprep.sys.HostReadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link PlatformFacts} read from a /proc and /sys tree, for hosts described by a test fixture. */
public final class SysfsPlatformFacts implements PlatformFacts {

    private static final String CPU_DIR = "/sys/devices/system/cpu";

    private final HostFs fs;

    public SysfsPlatformFacts(HostFs fs) {
        this.fs = fs;
    }

    @Override
    public String source() {
        return "sysfs";
    }

    @Override
    public List<LogicalCpu> logicalCpus() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (String name : fs.list(CPU_DIR)) {
            if (!name.matches("cpu\\d+")) {
                continue;
            }
            int id = Integer.parseInt(name.substring(3));
            String dir = CPU_DIR + "/" + name;
            int node = fs.list(dir).stream()
                    .filter(n -> n.matches("node\\d+"))
                    .mapToInt(n -> Integer.parseInt(n.substring(4)))
                    .findFirst()
                    .orElse(0);
            cpus.add(new LogicalCpu(id, number(dir + "/topology/core_id"),
                    number(dir + "/topology/physical_package_id"), node));
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

    private int number(String path) {
        try {
            return fs.read(path).map(s -> Integer.parseInt(s.strip())).orElse(0);
        } catch (HostReadException | NumberFormatException e) {
            // Offline CPUs have no topology; OSHI reports them as 0 too.
            return 0;
        }
    }
}
