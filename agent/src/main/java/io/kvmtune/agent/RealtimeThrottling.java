package io.kvmtune.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the kernel throttles realtime tasks: the agent gives a thread of its own SCHED_FIFO only
 * then, so that one gone wrong in a loop can never take a CPU for good.
 */
final class RealtimeThrottling {

    private static final String RUNTIME = "sys/kernel/sched_rt_runtime_us";

    private RealtimeThrottling() {
    }

    /** Whether {@code kernel.sched_rt_runtime_us}, under the proc mount {@code procRoot}, is not -1. */
    static boolean inForce(Path procRoot) throws IOException {
        return !Files.readString(procRoot.resolve(RUNTIME)).strip().equals("-1");
    }
}
