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

    /** Bounds the warm-up at a few seconds even when a busy machine keeps the JIT queue long. */
    private static final int WARM_UP_ROUNDS = 400;
    private static final int WARM_UP_CLEAN_ROUNDS = 3;
    private static final int WARM_UP_BUCKETS = 1_000;
    /** Beyond C2's invocation threshold (a few thousand calls) within a few rounds. */
    private static final int WARM_UP_SHORT_CALLS = 4_000;
    private static final int WARM_UP_CALLS = 2_000;
    /** 10 µs apart: at most a few tens of milliseconds of sleeping per round. */
    private static final int WARM_UP_SHORT_SLEEPS = 200;

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
        var allocation = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
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
            ready.countDown();
            return;
        }
        try (sleeper) {
            // Warm up before reporting ready, so the run's start time and duration cover measurement only.
            try {
                warmUp(sleeper, allocation);
            } finally {
                ready.countDown();
            }
            go.await();
            measure(sleeper, allocation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void measure(MonotonicSleeper sleeper, com.sun.management.ThreadMXBean allocation) {
        long interval = config.intervalMicros() * 1_000;
        // One unrecorded wake-up first: it settles the thread on its CPU.
        long first = sleeper.sleepUntil(sleeper.now() + interval) + interval;
        long end = config.loops() > 0 ? Long.MAX_VALUE : first + config.duration().toNanos();
        long count = config.loops() > 0 ? config.loops() : Long.MAX_VALUE;
        long allocatedBefore = allocation.getCurrentThreadAllocatedBytes();
        loop(sleeper, histogram, first, interval, end, count, stop);
        loopAllocatedBytes = allocation.getCurrentThreadAllocatedBytes() - allocatedBefore;
    }

    /**
     * The measurement loop: {@code count} wake-ups from deadline {@code next}, until {@code end} or
     * until {@code stopped} is set.
     */
    private static void loop(MonotonicSleeper sleeper, LatencyHistogram h, long next, long interval, long end,
            long count, AtomicBoolean stopped) {
        while (count-- > 0 && next <= end && !stopped.get()) {
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
     * temporaries; and a branch or loop exit the compiled code never saw taken deoptimises it when
     * first taken, which puts scalar-replaced objects back on the heap. So run the very loop first,
     * through every branch and every exit and in many short calls as well as long ones, in rounds
     * until a whole round allocates nothing:
     * deadlines in the past with a 1 ns interval (each sleep returns at once and every wake-up is
     * late), a deadline just past with a 1 s interval (no sleep, and the wake-up on time), a short
     * 10 µs interval (real but brief sleeps), and the count, end and stop exits. The on-time
     * wake-up is made so on purpose: a host that wakes threads later than 10 µs (a nested VM)
     * sleeps none of the short sleeps on time, and code compiled without that branch deoptimised
     * at the measurement's first on-time wake-up. Bounded: a JVM limited to C1 never gets there,
     * and the report's allocation count then says so.
     */
    private static void warmUp(MonotonicSleeper sleeper, com.sun.management.ThreadMXBean allocation) {
        // Wide enough that the short sleeps land in buckets while the past deadlines overflow:
        // record() takes both of its branches.
        LatencyHistogram scratch = new LatencyHistogram(WARM_UP_BUCKETS);
        AtomicBoolean running = new AtomicBoolean(false);
        AtomicBoolean stopped = new AtomicBoolean(true);
        int clean = 0;
        for (int round = 0; round < WARM_UP_ROUNDS && clean < WARM_UP_CLEAN_ROUNDS; round++) {
            long before = allocation.getCurrentThreadAllocatedBytes();
            long now = sleeper.now();
            loop(sleeper, scratch, now - 1_000_000_000L, 1, Long.MAX_VALUE, WARM_UP_CALLS, running);
            loop(sleeper, scratch, sleeper.now(), 10_000, Long.MAX_VALUE, WARM_UP_SHORT_SLEEPS, running);
            loop(sleeper, scratch, now, 1, now - 1, WARM_UP_CALLS, running);
            loop(sleeper, scratch, now, 1, Long.MAX_VALUE, WARM_UP_CALLS, stopped);
            // Long calls get compiled on-stack; the measurement enters the loop afresh, through the
            // method's own entry, which only many short calls get compiled with escape analysis.
            for (int call = 0; call < WARM_UP_SHORT_CALLS; call++) {
                loop(sleeper, scratch, now - 1_000_000_000L, 1, Long.MAX_VALUE, 2, running);
                loop(sleeper, scratch, sleeper.now() - 1_000, 1_000_000_000L, Long.MAX_VALUE, 1, running);
            }
            // One clean round can still run code the JIT is about to replace; a few in a row cannot.
            clean = allocation.getCurrentThreadAllocatedBytes() == before ? clean + 1 : 0;
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
