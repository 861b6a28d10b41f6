package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import io.kvmtune.linux.lib.rlimit;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Resource limits of any process through {@code prlimit}, so a running QEMU can be given room to
 * lock memory or run real-time threads. Process id 0 means the calling process.
 */
public final class Limits {

    private Limits() {
    }

    /**
     * The current limit of {@code resource} for process {@code pid}.
     *
     * @throws LinuxException ESRCH when there is no such process, EPERM without the right
     */
    public static ResourceLimit get(int pid, Rlimit resource) {
        Objects.requireNonNull(resource, "resource");
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            MemorySegment old = rlimit.allocate(arena);
            ErrnoCheck.check(LinuxCalls.prlimit(state, pid, resource.resource(), MemorySegment.NULL, old), state,
                    "prlimit", "pid " + pid + ", RLIMIT_" + resource);
            return new ResourceLimit(rlimit.rlim_cur(old), rlimit.rlim_max(old));
        }
    }

    /**
     * Sets the limit of {@code resource} for process {@code pid} and returns the one it replaced,
     * atomically, so that a caller can restore it.
     *
     * @throws LinuxException EPERM when raising a hard limit without CAP_SYS_RESOURCE, EINVAL for
     *                        a value the kernel refuses, ESRCH when there is no such process
     */
    public static ResourceLimit set(int pid, Rlimit resource, ResourceLimit limit) {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(limit, "limit");
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            MemorySegment next = rlimit.allocate(arena);
            rlimit.rlim_cur(next, limit.soft());
            rlimit.rlim_max(next, limit.hard());
            MemorySegment old = rlimit.allocate(arena);
            ErrnoCheck.check(LinuxCalls.prlimit(state, pid, resource.resource(), next, old), state,
                    "prlimit", "pid " + pid + ", RLIMIT_" + resource);
            return new ResourceLimit(rlimit.rlim_cur(old), rlimit.rlim_max(old));
        }
    }
}
