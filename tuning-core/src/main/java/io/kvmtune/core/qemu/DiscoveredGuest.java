package io.kvmtune.core.qemu;

import java.util.List;
import java.util.Set;

/**
 * Everything thread discovery learnt about one running QEMU.
 *
 * @param guest the process and its threads with their roles: what the apply engine acts on
 * @param commandLine what the QEMU was started with (HPET, CPU model, memory locking, names)
 * @param sources the sources that named the vCPU and IO threads; when there were several, they
 *     agreed
 * @param kernelHelpers kernel threads working for this QEMU outside its process
 */
public record DiscoveredGuest(QemuGuest guest, QemuCommandLine commandLine, Set<ThreadSource> sources,
        List<KernelHelperThread> kernelHelpers) {

    public DiscoveredGuest {
        sources = Set.copyOf(sources);
        kernelHelpers = List.copyOf(kernelHelpers);
    }
}
