package io.kvmtune.core.cpumodel;

import java.util.Set;

/**
 * Host CPU features a QEMU guest never gets from its CPU definition, which libvirt's QEMU driver
 * therefore drops from the CPUs it computes ({@code virsh cpu-baseline} on {@code qemu:///system}).
 */
final class QemuGuestFeatures {

    /**
     * {@code cmt}, {@code mbm_total} and {@code mbm_local} (cache and memory-bandwidth monitoring)
     * QEMU does not emulate; {@code osxsave} and {@code ospke} mirror what the running OS enabled
     * in CR4, so the guest's own kernel sets them.
     */
    static final Set<String> NEVER_IN_A_GUEST_MODEL = Set.of("cmt", "mbm_total", "mbm_local", "osxsave", "ospke");

    private QemuGuestFeatures() {
    }
}
