package io.kvmtune.core.qemu;

import java.util.List;
import java.util.Optional;

/**
 * A running QEMU and its threads, as thread discovery found and cross-checked them.
 *
 * @param process the QEMU process
 * @param name the guest name from {@code -name guest=NAME}, if given
 * @param threads every thread of the process, vCPUs ordered by index first, then IO threads, then
 *     emulator threads by tid
 */
public record QemuGuest(ThreadIdentity process, Optional<String> name, List<QemuThread> threads) {

    public QemuGuest {
        threads = List.copyOf(threads);
    }

    public int pid() {
        return process.tid();
    }

    /** The vCPU threads, ordered by vCPU index. */
    public List<QemuThread> vcpus() {
        return threads.stream().filter(t -> t.role() instanceof ThreadRole.Vcpu).toList();
    }
}
