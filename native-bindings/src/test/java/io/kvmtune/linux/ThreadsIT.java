package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** gettid against /proc/thread-self, which the kernel resolves to {@code <pid>/task/<tid>}. */
class ThreadsIT {

    @Test
    void currentTidIsTheKernelsIdForTheCallingThread() throws Exception {
        assertThat(Threads.currentTid()).isEqualTo(threadSelf());

        CompletableFuture<int[]> other = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                other.complete(new int[] {Threads.currentTid(), threadSelf()});
            } catch (Exception e) {
                other.completeExceptionally(e);
            }
        });
        int[] ids = other.get(30, TimeUnit.SECONDS);
        assertThat(ids[0]).isEqualTo(ids[1]).isNotEqualTo(Threads.currentTid());
    }

    private static int threadSelf() throws Exception {
        // "<pid>/task/<tid>"
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }
}
