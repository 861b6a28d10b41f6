package io.kvmtune.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A platform thread the test starts and that sleeps (blocked on a latch) until closed: a real
 * kernel thread whose scheduling the test may change, and which never spins, so it is safe even
 * under SCHED_FIFO.
 */
final class ParkedThread implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<Integer> tid = new CompletableFuture<>();
    private final Thread thread;

    ParkedThread(String name) {
        thread = Thread.ofPlatform().name(name).daemon().start(() -> {
            tid.complete(Threads.currentTid());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The kernel thread id. */
    int tid() throws Exception {
        return tid.get(30, TimeUnit.SECONDS);
    }

    /** Lets the thread end and waits until it has. */
    @Override
    public void close() {
        release.countDown();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The id of a thread that has exited: the kernel no longer knows it. */
    static int exitedTid() throws Exception {
        int tid;
        try (ParkedThread t = new ParkedThread("kvmtune-exited")) {
            tid = t.tid();
        }
        // join() returns when the Java thread has terminated; the kernel task lingers a moment longer
        // while the JVM tears the native thread down, and until then the tid still answers.
        Path task = Path.of("/proc/self/task", Integer.toString(tid));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(task)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("thread " + tid + " still exists 10 s after it was joined");
            }
            Thread.sleep(1);
        }
        return tid;
    }
}
