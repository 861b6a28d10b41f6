package io.kvmtune.core.probe;

import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.Clock;
import io.kvmtune.linux.MonotonicSleeper;
import io.kvmtune.linux.SchedAttr;
import io.kvmtune.linux.Scheduling;
import io.kvmtune.linux.Threads;
import java.lang.management.ManagementFactory;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One cyclictest-style measurement thread: pinned to one CPU, SCHED_FIFO, it sleeps to absolute
 * deadlines one interval apart and records how late each wake-up was.
 *
 * <p>Its scheduling and affinity are its own: they end with the thread, so the probe leaves no
 * trace on the process. The loop allocates nothing; the thread measures its own allocation
 * across the loop and reports it, so every run proves that again.
 */
final class MeasurementThread implements Runnable {

    private static final int WARM_UP_ROUNDS = 50;
    private static final int WARM_UP_CALLS = 2_000;

    private final int cpu;
    private final ProbeConfig config;
    private final AtomicBoolean stop;
    private final CountDownLatch ready;
    private final CountDownLatch go;
    private final LatencyHistogram histogram;
    private volatile int tid;
    private volatile long loopAllocatedBytes = -1;
    private volatile RuntimeException failure;

    MeasurementThread(int cpu, ProbeConfig config, AtomicBoolean stop, CountDownLatch ready, CountDownLatch go) {
        this.cpu = cpu;
        this.config = config;
        this.stop = stop;
        this.ready = ready;
        this.go = go;
        this.histogram = new LatencyHistogram(config.histogramMaxMicros());
    }

    @Override
    public void run() {
        MonotonicSleeper sleeper;
        try {
            tid = Threads.currentTid();
            BitSet only = new BitSet();
            only.set(cpu);
            Affinity.set(0, only);
            Scheduling.set(0, SchedAttr.fifo(config.priority()));
            sleeper = Clock.newSleeper();
        } catch (RuntimeException e) {
            failure = e;
            return;
        } finally {
            ready.countDown();
        }
        try (sleeper) {
            go.await();
            measure(sleeper);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void measure(MonotonicSleeper sleeper) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        warmUp(sleeper, threads);
        long interval = config.intervalMicros() * 1_000;
        // One unrecorded wake-up first: it settles the thread on its CPU.
        long first = sleeper.sleepUntil(sleeper.now() + interval) + interval;
        long end = config.loops() > 0 ? Long.MAX_VALUE : first + config.duration().toNanos();
        long count = config.loops() > 0 ? config.loops() : Long.MAX_VALUE;
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        loop(sleeper, histogram, first, interval, end, count);
        loopAllocatedBytes = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
    }

    /** The measurement loop: {@code count} wake-ups from deadline {@code next}, until {@code end} or stop. */
    private void loop(MonotonicSleeper sleeper, LatencyHistogram h, long next, long interval, long end, long count) {
        while (count-- > 0 && next <= end && !stop.get()) {
            long woke = sleeper.sleepUntil(next);
            h.record(woke - next);
            next += interval;
            // After a wake-up later than a whole interval, skip the missed periods as cyclictest does,
            // instead of firing a burst of immediate wake-ups that would measure nothing.
            if (next <= woke) {
                next += ((woke - next) / interval + 1) * interval;
            }
        }
    }

    /**
     * Until the JIT has compiled the loop with escape analysis, each FFM downcall allocates small
     * temporaries, and a branch the compiled code never saw taken deoptimises it, which puts
     * scalar-replaced objects back on the heap. So run the very loop first on deadlines already
     * past (each sleep returns at once and every wake-up is "late", taking both branches), in
     * rounds until a whole round allocates nothing. Bounded: a JVM limited to C1 never gets
     * there, and the report's allocation count then says so.
     */
    private void warmUp(MonotonicSleeper sleeper, com.sun.management.ThreadMXBean threads) {
        LatencyHistogram scratch = new LatencyHistogram(1);
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            long now = sleeper.now();
            loop(sleeper, scratch, now - WARM_UP_CALLS, 1, Long.MAX_VALUE, WARM_UP_CALLS / 2);
            loop(sleeper, scratch, now - 1_000_000_000L, 1_000_000, Long.MAX_VALUE, WARM_UP_CALLS / 2);
            if (threads.getCurrentThreadAllocatedBytes() == before) {
                return;
            }
        }
    }

    int cpu() {
        return cpu;
    }

    int tid() {
        return tid;
    }

    LatencyHistogram histogram() {
        return histogram;
    }

    long loopAllocatedBytes() {
        return loopAllocatedBytes;
    }

    RuntimeException failure() {
        return failure;
    }
}
