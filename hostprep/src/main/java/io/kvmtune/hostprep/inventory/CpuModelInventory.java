package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.cpumodel.CpuMap;
import io.kvmtune.core.cpumodel.CpuMapReader;
import io.kvmtune.core.cpumodel.CpuModelReport;
import io.kvmtune.core.cpumodel.HostCpuReader;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.HostFs;
import java.util.Optional;

/**
 * The inventory's {@code cpu_models} section: tuning-core's {@link CpuModelReport} for libvirt's
 * {@code cpu_map} and {@code /proc/cpuinfo} below the host root, so that another host can hand
 * this inventory to {@code kvmtune cpu-models --compare}.
 *
 * <p>A host without the map (libvirt not installed), an architecture libvirt has no map for, or
 * an unreadable map is an {@link Fact.Unknown} that says why, like every other inventory value.
 */
public final class CpuModelInventory {

    /** Where libvirt installs its CPU map, as a host path. */
    public static final String CPU_MAP = "/usr/share/libvirt/cpu_map";

    private CpuModelInventory() {
    }

    /**
     * @param machine the architecture as {@code uname -m} prints it ({@code x86_64})
     */
    public static Fact<CpuModelReport> read(HostFs fs, String machine) {
        Optional<String> arch = CpuMapReader.mapArch(machine);
        if (arch.isEmpty()) {
            return new Fact.Unknown<>(CPU_MAP, true, "unsupported: libvirt has no CPU map for " + machine
                    + " (its models come from QEMU there)");
        }
        try {
            CpuMap map = CpuMapReader.read(fs.resolve(CPU_MAP), arch.get());
            return new Fact.Known<>(CPU_MAP, CpuModelReport.of(map, HostCpuReader.read(fs.root(), map)));
        } catch (MissingComponentException e) {
            return new Fact.Unknown<>(CPU_MAP, true, "unsupported: " + e.getMessage());
        } catch (InvalidInputException e) {
            return Fact.unknown(CPU_MAP, e.getMessage());
        }
    }
}
