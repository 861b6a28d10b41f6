package io.kvmtune.linux.lib;

import static io.kvmtune.linux.lib.kvmtune_linux_h.C_INT;
import static io.kvmtune.linux.lib.kvmtune_linux_h.C_LONG;
import static io.kvmtune.linux.lib.kvmtune_linux_h.C_POINTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/**
 * The syscall(2) fallback, taken on a libc without the wrapper, behaves like the wrapper: forced
 * here by asking for a symbol that does not exist.
 */
class SyscallFallbackIT {

    private static final String MISSING = "kvmtune_no_such_symbol";

    private static final FunctionDescriptor GETAFFINITY = FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER);
    private static final MethodHandle GETAFFINITY_BY_SYSCALL =
            LinuxCalls.linkOrSyscall(MISSING, GETAFFINITY, SyscallNumbers::sched_getaffinity);
    private static final MethodHandle GETAFFINITY_BY_GLIBC = Linker.nativeLinker().downcallHandle(
            kvmtune_linux_h.findOrThrow("sched_getaffinity"), GETAFFINITY, Linker.Option.captureCallState("errno"));

    @Test
    void fallbackWithPointerArgumentsReadsTheSameAffinityAsTheWrapper() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            MemorySegment viaSyscall = arena.allocate(128, 8);
            MemorySegment viaWrapper = arena.allocate(128, 8);
            MemorySegment viaLinuxCalls = arena.allocate(128, 8);
            int rc = (int) GETAFFINITY_BY_SYSCALL.invokeExact(state, 0, 128L, viaSyscall);
            // the raw system call returns the bytes it wrote where glibc returns 0
            assertThat(rc).isPositive();
            assertThat((int) GETAFFINITY_BY_GLIBC.invokeExact(state, 0, 128L, viaWrapper)).isZero();
            assertThat(viaSyscall.toArray(C_LONG)).isEqualTo(viaWrapper.toArray(C_LONG));
            // LinuxCalls makes the system call itself, as the fallback does
            assertThat(LinuxCalls.sched_getaffinity(state, 0, 128L, viaLinuxCalls)).isEqualTo(rc);
            assertThat(viaLinuxCalls.toArray(C_LONG)).isEqualTo(viaWrapper.toArray(C_LONG));
        }
    }

    @Test
    void fallbackReportsErrnoLikeTheWrapper() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            // not a whole unsigned long: EINVAL
            int rc = (int) GETAFFINITY_BY_SYSCALL.invokeExact(state, 0, 4L, arena.allocate(8, 8));
            assertThat(rc).isEqualTo(-1);
            assertThat(LinuxCalls.errno(state)).isEqualTo(22);
        }
    }

    @Test
    void fallbackWithoutArgumentsReturnsTheThreadId() throws Throwable {
        MethodHandle fallback = LinuxCalls.linkOrSyscall(MISSING, FunctionDescriptor.of(C_INT), SyscallNumbers::gettid);
        try (Arena arena = Arena.ofConfined()) {
            int tid = (int) fallback.invokeExact(LinuxCalls.allocateCallState(arena));
            assertThat(tid).isEqualTo(LinuxCalls.gettid());
        }
    }
}
