package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import io.kvmtune.linux.lib.kvmtune_linux_h;
import io.kvmtune.linux.lib.timespec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code CLOCK_MONOTONIC}, the clock the kernel's timers and {@link System#nanoTime()} use, read
 * with {@code clock_gettime} and slept on with {@code clock_nanosleep}.
 */
public final class Clock {

    private Clock() {
    }

    // one timespec per thread, so that reading the clock allocates nothing after the first call
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> timespec.allocate(Arena.ofAuto()));

    /** Nanoseconds of {@code CLOCK_MONOTONIC}. */
    public static long monotonicNanos() {
        NativeAccess.require();
        return read(SCRATCH.get());
    }

    /**
     * A sleeper for the calling thread: it owns its timespecs, so that
     * {@link MonotonicSleeper#sleepUntil} allocates nothing, and must be used and closed by that
     * thread.
     */
    public static MonotonicSleeper newSleeper() {
        NativeAccess.require();
        return new MonotonicSleeper(Arena.ofConfined());
    }

    /** Reads CLOCK_MONOTONIC through {@code scratch}, a timespec. */
    static long read(MemorySegment scratch) {
        int rc = LinuxCalls.clock_gettime(kvmtune_linux_h.CLOCK_MONOTONIC(), scratch);
        if (rc != 0) {
            // only possible for a bad clock id or pointer, both fixed here
            throw new IllegalStateException("clock_gettime(CLOCK_MONOTONIC) returned " + rc);
        }
        return toNanos(scratch);
    }

    static long toNanos(MemorySegment ts) {
        return timespec.tv_sec(ts) * 1_000_000_000L + timespec.tv_nsec(ts);
    }

    static void fromNanos(long nanos, MemorySegment ts) {
        timespec.tv_sec(ts, Math.floorDiv(nanos, 1_000_000_000L));
        timespec.tv_nsec(ts, Math.floorMod(nanos, 1_000_000_000L));
    }
}
