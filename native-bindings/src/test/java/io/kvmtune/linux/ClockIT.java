package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CLOCK_MONOTONIC reads and absolute sleeps. No upper bounds on latency: this is not a benchmark. */
class ClockIT {

    @Test
    void monotonicNanosIsTheClockOfSystemNanoTime() {
        // HotSpot's nanoTime reads CLOCK_MONOTONIC on Linux, so the two interleave
        long before = System.nanoTime();
        long clock = Clock.monotonicNanos();
        long after = System.nanoTime();
        assertThat(clock).isBetween(before, after);
    }

    @Test
    void absoluteSleepsWaitUntilTheirDeadlineAndReturnTheWakeUpTime() {
        try (MonotonicSleeper sleeper = Clock.newSleeper()) {
            long start = sleeper.now();
            long period = TimeUnit.MILLISECONDS.toNanos(20);
            long deadline = start;
            for (int i = 0; i < 5; i++) {
                deadline += period;
                long woke = sleeper.sleepUntil(deadline);
                assertThat(woke).as("wake-up %d", i).isGreaterThanOrEqualTo(deadline);
                assertThat(System.nanoTime()).isGreaterThanOrEqualTo(deadline);
            }
            assertThat(sleeper.now() - start).isGreaterThanOrEqualTo(5 * period);
        }
    }

    @Test
    void aDeadlineInThePastReturnsWithoutSleeping() {
        try (MonotonicSleeper sleeper = Clock.newSleeper()) {
            long past = sleeper.now() - TimeUnit.SECONDS.toNanos(1);
            assertThat(sleeper.sleepUntil(past)).isGreaterThan(past);
        }
    }
}
