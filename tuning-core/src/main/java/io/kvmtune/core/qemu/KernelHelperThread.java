package io.kvmtune.core.qemu;

/**
 * A kernel thread that works for one QEMU but is not one of its threads: the x86 in-kernel PIT
 * ({@code kvm-pit/<pid>}) and, before Linux 6.4, vhost workers ({@code vhost-<pid>}; since 6.4
 * they are tasks inside the QEMU process and appear among its emulator threads instead). Reported
 * so that a plan can place them; they are not part of {@link QemuGuest#threads()}.
 *
 * @param identity the kernel thread
 * @param comm its name
 * @param kind which helper it is
 */
public record KernelHelperThread(ThreadIdentity identity, String comm, Kind kind) {

    /** The helpers kvmtune knows. */
    public enum Kind {
        /** {@code kvm-pit/<pid>}: the in-kernel i8254 timer, which fires into vCPU 0. */
        KVM_PIT,
        /** {@code vhost-<pid>}: a vhost-net/vhost-scsi worker as a kernel thread (Linux before 6.4). */
        VHOST
    }
}
