package io.kvmtune.linux;

import io.kvmtune.linux.lib.kvmtune_linux_h;
import io.kvmtune.linux.lib.timespec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Sleeps to absolute {@code CLOCK_MONOTONIC} deadlines ({@code clock_nanosleep} with
 * {@code TIMER_ABSTIME}) without allocating, for measurement loops such as a wake-up latency
 * probe: absolute deadlines do not drift with the time the loop itself takes. Owned by the thread
 * that created it ({@link Clock#newSleeper()}); close it to free its memory.
 */
public final class MonotonicSleeper implements AutoCloseable {

    private final Arena arena;
    private final MemorySegment deadline;
    private final MemorySegment now;

    MonotonicSleeper(Arena arena) {
        this.arena = arena;
        this.deadline = timespec.allocate(arena);
        this.now = timespec.allocate(arena);
    }

    /** Nanoseconds of CLOCK_MONOTONIC, the same clock as {@link Clock#monotonicNanos()}. */
    public long now() {
        return Clock.read(now);
    }

    /**
     * Sleeps until CLOCK_MONOTONIC reaches {@code deadlineNanos} (at once if it has) and returns
     * the time read right after waking; minus the deadline, that is the wake-up latency. Signals
     * do not shorten the sleep: on EINTR it sleeps again to the same deadline.
     *
     * @throws LinuxException for any other error of {@code clock_nanosleep}
     */
    public long sleepUntil(long deadlineNanos) {
        Clock.fromNanos(deadlineNanos, deadline);
        int rc;
        do {
            // returns the error number itself rather than setting errno
            rc = kvmtune_linux_h.clock_nanosleep(kvmtune_linux_h.CLOCK_MONOTONIC(),
                    kvmtune_linux_h.TIMER_ABSTIME(), deadline, MemorySegment.NULL);
        } while (rc == Errno.EINTR.number());
        if (rc != 0) {
            throw new LinuxException("clock_nanosleep", "", rc);
        }
        return Clock.read(now);
    }

    @Override
    public void close() {
        arena.close();
    }
}
