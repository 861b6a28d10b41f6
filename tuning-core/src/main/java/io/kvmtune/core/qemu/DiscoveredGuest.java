package io.kvmtune.core.qemu;

import java.util.Set;

/**
 * Everything thread discovery learnt about one running QEMU.
 *
 * @param guest the process and its threads with their roles: what the apply engine acts on
 * @param commandLine what the QEMU was started with (HPET, CPU model, memory locking, names)
 * @param sources the sources that named the vCPU and IO threads; when there were several, they
 *     agreed
 * @see QemuDiscovery#kernelHelpers the kernel threads working for it outside its process
 */
public record DiscoveredGuest(QemuGuest guest, QemuCommandLine commandLine, Set<ThreadSource> sources) {

    public DiscoveredGuest {
        sources = Set.copyOf(sources);
    }
}
