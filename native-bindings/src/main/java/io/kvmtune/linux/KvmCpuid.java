package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPUID leaves KVM can offer a guest on this host ({@code KVM_GET_SUPPORTED_CPUID} on
 * {@code /dev/kvm}): what a guest CPU model may ask for, which can be less than the host kernel
 * lists in /proc/cpuinfo (nested or paravirtual KVM withholds bits).
 */
public final class KvmCpuid {

    /** {@code _IOWR(KVMIO, 0x05, struct kvm_cpuid2)}: KVMIO is 0xAE, the header 8 bytes. */
    private static final long KVM_GET_SUPPORTED_CPUID = 0xC008AE05L;
    private static final int AT_FDCWD = -100;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int E2BIG = 7;
    /** {@code struct kvm_cpuid_entry2}: function, index, flags, eax, ebx, ecx, edx, padding[3]. */
    private static final int ENTRY_BYTES = 40;

    /**
     * One leaf as KVM reports it.
     *
     * @param function the leaf ({@code EAX} in)
     * @param index the subleaf ({@code ECX} in), 0 where the leaf has none
     */
    public record Entry(int function, int index, int eax, int ebx, int ecx, int edx) {
    }

    private KvmCpuid() {
    }

    /**
     * Asks {@code /dev/kvm}.
     *
     * @throws LinuxException when {@code /dev/kvm} cannot be opened (ENOENT: no KVM; EACCES) or the
     *     ioctl fails
     */
    public static List<Entry> supported() {
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            int fd = ErrnoCheck.check(LinuxCalls.openat(state, AT_FDCWD, arena.allocateFrom("/dev/kvm"), O_RDWR | O_CLOEXEC), state,
                    "open", "/dev/kvm");
            try {
                // KVM answers E2BIG until the buffer holds every leaf it has.
                for (int entries = 128; ; entries *= 2) {
                    MemorySegment cpuid = arena.allocate(8L + (long) ENTRY_BYTES * entries, 8);
                    cpuid.set(ValueLayout.JAVA_INT, 0, entries);
                    int rc = LinuxCalls.ioctl(state, fd, KVM_GET_SUPPORTED_CPUID, cpuid);
                    if (rc == -1 && LinuxCalls.errno(state) == E2BIG && entries < 4096) {
                        continue;
                    }
                    ErrnoCheck.check(rc, state, "ioctl KVM_GET_SUPPORTED_CPUID", "/dev/kvm");
                    int n = cpuid.get(ValueLayout.JAVA_INT, 0);
                    List<Entry> out = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        long at = 8L + (long) ENTRY_BYTES * i;
                        out.add(new Entry(cpuid.get(ValueLayout.JAVA_INT, at), cpuid.get(ValueLayout.JAVA_INT, at + 4),
                                cpuid.get(ValueLayout.JAVA_INT, at + 12), cpuid.get(ValueLayout.JAVA_INT, at + 16),
                                cpuid.get(ValueLayout.JAVA_INT, at + 20), cpuid.get(ValueLayout.JAVA_INT, at + 24)));
                    }
                    return out;
                }
            } finally {
                LinuxCalls.close(state, fd);
            }
        }
    }
}
