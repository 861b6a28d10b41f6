package io.kvmtune.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.linux.Threads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KernelThreadControlTest {

    private final KernelThreadControl kernel = new KernelThreadControl(ProcFs.system());

    @Test
    void aPinHoldsWhileItsThreadLivesAndNotOnceItHasExited() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            tid.complete(Threads.currentTid());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kvmtune-pinned");
        thread.start();
        try {
            int id = tid.get(10, TimeUnit.SECONDS);
            ThreadIdentity identity = new ThreadIdentity(id, kernel.startTime(id).orElseThrow());
            try (ThreadPin pin = kernel.pin(identity);
                    ThreadPin later = kernel.pin(new ThreadIdentity(id, identity.startTime() + 1))) {
                assertThat(pin.alive()).isTrue();
                assertThat(pin.alive()).as("checked again through the same pin").isTrue();
                assertThat(later.alive()).as("a thread started at another time is not the one found").isFalse();

                release.countDown();
                thread.join(10_000);
                // the kernel finishes tearing the task down just after the JVM sees the thread end
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pin.alive() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(pin.alive()).as("the thread has exited, whatever its id names now").isFalse();
            }
            try (ThreadPin afterExit = kernel.pin(identity)) {
                assertThat(afterExit.alive()).as("a pin taken after the exit").isFalse();
            }
        } finally {
            release.countDown();
        }
    }
}
