package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.linux.SchedAttr;
import io.kvmtune.linux.SchedPolicy;
import io.kvmtune.linux.Scheduling;
import io.kvmtune.linux.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event thread's policy is taken on a thread of the test's own, which ends with the test. */
class EventThreadPriorityTest {

    @TempDir
    Path proc;

    private record Taken(String said, SchedAttr now) {
    }

    private Taken takeOnAFreshThread(int priority) {
        CompletableFuture<Taken> taken = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                String said = EventThreadPriority.take(priority, proc);
                taken.complete(new Taken(said, Scheduling.get(Threads.currentTid())));
            } catch (RuntimeException | Error e) {
                taken.completeExceptionally(e);
            }
        });
        return taken.join();
    }

    @Test
    void withoutRealtimeThrottlingTheThreadStaysOrdinaryAndTheLogSaysWhy() throws Exception {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/sched_rt_runtime_us"), "-1\n");

        Taken taken = takeOnAFreshThread(1);

        assertThat(taken.said()).isEqualTo("other (event_priority 1 not taken: realtime throttling is off,"
                + " kernel.sched_rt_runtime_us = -1)");
        assertThat(taken.now().policy()).isEqualTo(SchedPolicy.OTHER);
    }

    @Test
    void priorityZeroLeavesTheThreadAsItIs() {
        Taken taken = takeOnAFreshThread(EventThreadPriority.NONE);

        assertThat(taken.said()).isEqualTo("other");
        assertThat(taken.now().policy()).isEqualTo(SchedPolicy.OTHER);
    }

    @Test
    void aProcWithoutTheThrottlingFileIsReportedNotThrown() {
        Taken taken = takeOnAFreshThread(1);

        assertThat(taken.said()).startsWith("other (event_priority 1 not taken: ").contains("sched_rt_runtime_us");
        assertThat(taken.now().policy()).isEqualTo(SchedPolicy.OTHER);
    }
}
