package io.kvmtune.core.probe;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.linux.Errno;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.LockFlag;
import io.kvmtune.linux.Memory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code kvmtune probe} measurement, cyclictest's method in Java: one SCHED_FIFO thread per
 * CPU, each sleeping with {@code clock_nanosleep(TIMER_ABSTIME)} one interval at a time and
 * recording how late it woke.
 *
 * <p>What it changes it puts back: the threads' scheduling ends with them, memory locked with
 * {@code mlockall} is unlocked and the CPU latency limit ({@link CpuLatencyLimit}) let go at the
 * end, also when {@link #stop()} is called from a shutdown hook on Ctrl-C. Measurement threads sleep between wake-ups, so SCHED_FIFO never lets them hog a CPU.
 */
public final class LatencyProbe {

    private final ProbeConfig config;
    private final AtomicBoolean stop = new AtomicBoolean();

    public LatencyProbe(ProbeConfig config) {
        this.config = config;
    }

    /** Asks a running probe to finish after the current wake-up; safe from any thread. */
    public void stop() {
        stop.set(true);
    }

    /**
     * Runs the measurement to its end (loops, duration or {@link #stop()}).
     *
     * @throws MissingComponentException when a thread may not be pinned or made SCHED_FIFO
     *     (not root, or a cgroup without realtime budget), with the reason
     */
    public ProbeResult run() throws InterruptedException {
        return run(() -> { });
    }

    /**
     * {@link #run()}, calling {@code onStart} once every thread has warmed up and measurement
     * begins, so that a caller can tell a person (or a test) that wake-ups now count.
     */
    public ProbeResult run(Runnable onStart) throws InterruptedException {
        try (CpuLatencyLimit limit = config.limitCpuLatency() ? CpuLatencyLimit.holdZero(CpuLatencyLimit.DEVICE) : null) {
            if (config.lockMemory()) {
                Memory.lockAll(EnumSet.of(LockFlag.CURRENT, LockFlag.FUTURE));
            }
            try {
                return measure(onStart);
            } finally {
                if (config.lockMemory()) {
                    Memory.unlockAll();
                }
            }
        }
    }

    private ProbeResult measure(Runnable onStart) throws InterruptedException {
        int[] cpus = config.cpus().toArray();
        CountDownLatch ready = new CountDownLatch(cpus.length);
        CountDownLatch go = new CountDownLatch(1);
        List<MeasurementThread> probes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int cpu : cpus) {
            MeasurementThread m = new MeasurementThread(cpu, config, stop, ready, go);
            probes.add(m);
            threads.add(Thread.ofPlatform().name("kvmtune-probe-cpu" + cpu).unstarted(m));
        }
        threads.forEach(Thread::start);
        Instant start;
        try {
            ready.await();
            for (MeasurementThread m : probes) {
                if (m.failure() != null) {
                    stop.set(true);
                    throw setupFailure(m);
                }
            }
            start = Instant.now();
            onStart.run();
        } finally {
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
        }
        for (MeasurementThread m : probes) {
            if (m.failure() != null) {
                throw new IllegalStateException("probe thread on CPU " + m.cpu() + " failed", m.failure());
            }
        }
        return new ProbeResult(config, start, Instant.now(), probes.stream()
                .map(m -> new ProbeResult.ThreadResult(m.cpu(), m.tid(), m.histogram(), m.loopAllocatedBytes()))
                .toList());
    }

    private static RuntimeException setupFailure(MeasurementThread m) {
        RuntimeException e = m.failure();
        if (e instanceof LinuxException le && le.errno() == Errno.EPERM) {
            return new MissingComponentException("PermissionDenied", "cannot make the probe thread on CPU "
                    + m.cpu() + " SCHED_FIFO or pin it: " + le.getMessage() + " (run as root; on kernels with"
                    + " RT group scheduling the process's cpu cgroup needs cpu.rt_runtime_us > 0)", le);
        }
        if (e instanceof LinuxException le && le.errno() == Errno.EINVAL) {
            return new InvalidInputException("Invalid", "--cpus", Integer.toString(m.cpu()),
                    "cannot pin the probe thread to CPU " + m.cpu() + ": " + le.getMessage()
                    + " (is the CPU online and in this process's cpuset?)", le);
        }
        return e;
    }
}
