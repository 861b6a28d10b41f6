package io.kvmtune.core.qemu;

/**
 * One thread of a QEMU process as discovered.
 *
 * @param identity its id and start time
 * @param comm its name from {@code /proc/<pid>/task/<tid>/comm} ({@code CPU 0/KVM}, {@code call_rcu})
 * @param role what it does for the guest
 */
public record QemuThread(ThreadIdentity identity, String comm, ThreadRole role) {

    public int tid() {
        return identity.tid();
    }
}
