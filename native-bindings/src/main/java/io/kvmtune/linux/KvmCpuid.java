package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPUID leaves KVM can offer a guest on this host ({@code KVM_GET_SUPPORTED_CPUID} on
 * {@code /dev/kvm}): what a guest CPU model may ask for, which can be less than the host kernel
 * lists in /proc/cpuinfo (nested or paravirtual KVM withholds bits).
 */
public final class KvmCpuid {

    /** {@code _IOWR(KVMIO, 0x05, struct kvm_cpuid2)}: KVMIO is 0xAE, the header 8 bytes. */
    private static final long KVM_GET_SUPPORTED_CPUID = 0xC008AE05L;
    /** {@code _IOWR(KVMIO, 0x0a, struct kvm_msr_list)}: the header {@code nmsrs} is 4 bytes. */
    private static final long KVM_GET_MSR_FEATURE_INDEX_LIST = 0xC004AE0AL;
    /** {@code _IOWR(KVMIO, 0x88, struct kvm_msrs)}: {@code nmsrs} and {@code pad}, 8 bytes. */
    private static final long KVM_GET_MSRS = 0xC008AE88L;
    private static final int E2BIG = 7;
    /** Kernels before 4.17 (no {@code KVM_CAP_GET_MSR_FEATURES}) refuse the list with EINVAL or ENOTTY. */
    private static final int EINVAL = 22;
    private static final int ENOTTY = 25;
    /** {@code struct kvm_msr_entry}: index, reserved, data (u64). */
    private static final int MSR_ENTRY_BYTES = 16;
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
        return onKvm((arena, state, fd) -> {
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
        });
    }

    /**
     * The feature MSRs KVM can offer a guest ({@code KVM_GET_MSR_FEATURE_INDEX_LIST}, then
     * {@code KVM_GET_MSRS} on the system descriptor): {@code IA32_ARCH_CAPABILITIES} (0x10a),
     * {@code IA32_CORE_CAPABILITIES} (0xcf), the VMX capability MSRs, by index. Empty on kernels
     * without feature MSRs (before Linux 4.17).
     *
     * @throws LinuxException when {@code /dev/kvm} cannot be opened or an ioctl fails otherwise
     */
    public static Map<Integer, Long> featureMsrs() {
        return onKvm((arena, state, fd) -> {
            int[] indices = null;
            // KVM answers E2BIG, with the count it needs in nmsrs, until the list fits.
            for (int room = 64; indices == null; ) {
                MemorySegment list = arena.allocate(4L + 4L * room, 4);
                list.set(ValueLayout.JAVA_INT, 0, room);
                int rc = LinuxCalls.ioctl(state, fd, KVM_GET_MSR_FEATURE_INDEX_LIST, list);
                int errno = rc == -1 ? LinuxCalls.errno(state) : 0;
                if (errno == EINVAL || errno == ENOTTY) {
                    return Map.of();
                }
                int needed = list.get(ValueLayout.JAVA_INT, 0);
                if (errno == E2BIG && needed > room && needed <= 4096) {
                    room = needed;
                    continue;
                }
                ErrnoCheck.check(rc, state, "ioctl KVM_GET_MSR_FEATURE_INDEX_LIST", "/dev/kvm");
                indices = new int[needed];
                for (int i = 0; i < needed; i++) {
                    indices[i] = list.get(ValueLayout.JAVA_INT, 4L + 4L * i);
                }
            }
            MemorySegment msrs = arena.allocate(8L + (long) MSR_ENTRY_BYTES * indices.length, 8);
            msrs.set(ValueLayout.JAVA_INT, 0, indices.length);
            for (int i = 0; i < indices.length; i++) {
                msrs.set(ValueLayout.JAVA_INT, 8L + (long) MSR_ENTRY_BYTES * i, indices[i]);
            }
            // It returns how many it read, in order: an MSR it cannot read ends the list.
            int read = ErrnoCheck.check(LinuxCalls.ioctl(state, fd, KVM_GET_MSRS, msrs), state, "ioctl KVM_GET_MSRS",
                    "/dev/kvm");
            Map<Integer, Long> out = new TreeMap<>();
            for (int i = 0; i < read && i < indices.length; i++) {
                long at = 8L + (long) MSR_ENTRY_BYTES * i;
                out.put(msrs.get(ValueLayout.JAVA_INT, at), msrs.get(ValueLayout.JAVA_LONG, at + 8));
            }
            return out;
        });
    }

    /** One use of an open {@code /dev/kvm}. */
    private interface KvmCall<T> {
        T call(Arena arena, MemorySegment callState, int fd);
    }

    /** Opens {@code /dev/kvm}, runs {@code call} on it and closes it. */
    private static <T> T onKvm(KvmCall<T> call) {
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            int fd = ErrnoCheck.check(LinuxCalls.openat(state, OpenFlags.AT_FDCWD, arena.allocateFrom("/dev/kvm"),
                    OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC), state,
                    "open", "/dev/kvm");
            try {
                return call.call(arena, state, fd);
            } finally {
                LinuxCalls.close(state, fd);
            }
        }
    }
}
