package io.kvmtune.core.probe;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.time.Duration;

/**
 * What the latency probe measures, in cyclictest's terms.
 *
 * @param cpus one measurement thread is pinned to each of these CPUs ({@code -a})
 * @param priority SCHED_FIFO priority of the measurement threads, 1..99 ({@code -p})
 * @param intervalMicros the wake-up interval ({@code -i})
 * @param loops wake-ups per thread, or 0 to run for {@code duration} ({@code -l})
 * @param duration how long to run when {@code loops} is 0 ({@code -D})
 * @param histogramMaxMicros histogram range; longer latencies count as overflows ({@code -h})
 * @param lockMemory lock all current and future memory first ({@code -m})
 * @param limitCpuLatency hold the PM QoS CPU latency limit at 0 µs during the run, as cyclictest
 *     does unless given {@code --laptop}
 */
public record ProbeConfig(CpuSet cpus, int priority, long intervalMicros, long loops, Duration duration,
        int histogramMaxMicros, boolean lockMemory, boolean limitCpuLatency) {

    public ProbeConfig {
        if (cpus.isEmpty()) {
            throw InvalidInputException.invalid("--cpus", "", "the probe needs at least one CPU to measure on");
        }
        if (priority < 1 || priority > 99) {
            throw InvalidInputException.invalid("--priority", Integer.toString(priority),
                    "SCHED_FIFO priority must be 1..99, not " + priority);
        }
        if (intervalMicros < 10 || intervalMicros > 10_000_000) {
            throw InvalidInputException.invalid("--interval", Long.toString(intervalMicros),
                    "interval must be 10 µs .. 10 s, not " + intervalMicros + " µs");
        }
        if (loops < 0 || (loops == 0 && (duration == null || duration.isZero() || duration.isNegative()))) {
            throw InvalidInputException.invalid(loops < 0 ? "--loops" : "--duration",
                    loops < 0 ? Long.toString(loops) : String.valueOf(duration),
                    "give a positive --loops count or a positive --duration");
        }
        if (histogramMaxMicros < 1 || histogramMaxMicros > 1_000_000) {
            throw InvalidInputException.invalid("--histogram-max", Integer.toString(histogramMaxMicros),
                    "histogram range must be 1 .. 1000000 µs");
        }
    }
}
