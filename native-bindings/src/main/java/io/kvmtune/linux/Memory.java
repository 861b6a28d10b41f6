package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;

/** Locking the calling process's memory into RAM ({@code mlockall}/{@code munlockall}). */
public final class Memory {

    private Memory() {
    }

    /**
     * Locks the calling process's pages according to {@code flags}.
     *
     * @throws IllegalArgumentException when {@code flags} is empty
     * @throws LinuxException ENOMEM when RLIMIT_MEMLOCK is too small (without CAP_IPC_LOCK),
     *                        EINVAL for ONFAULT alone, EPERM without the right
     */
    public static void lockAll(Set<LockFlag> flags) {
        if (flags.isEmpty()) {
            throw new IllegalArgumentException("mlockall needs at least one of CURRENT, FUTURE");
        }
        NativeAccess.require();
        int bits = 0;
        for (LockFlag flag : flags) {
            bits |= flag.value();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            ErrnoCheck.check(LinuxCalls.mlockall(state, bits), state, "mlockall", "");
        }
    }

    /** Unlocks every page of the calling process and cancels MCL_FUTURE. */
    public static void unlockAll() {
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            ErrnoCheck.check(LinuxCalls.munlockall(state), state, "munlockall", "");
        }
    }
}
