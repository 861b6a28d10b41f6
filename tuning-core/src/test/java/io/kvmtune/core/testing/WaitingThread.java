package io.kvmtune.core.testing;

import io.kvmtune.linux.Threads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A real thread that waits until it is told to exit, for tests that watch the kernel's view of a
 * task before and after it ends. Close it to let it end in any case.
 */
public final class WaitingThread implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;
    private final int tid;

    private WaitingThread(String name) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Integer> id = new CompletableFuture<>();
        thread = new Thread(() -> {
            id.complete(Threads.currentTid());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.start();
        tid = id.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts a thread named {@code name} and returns once it knows its kernel thread id. */
    public static WaitingThread start(String name) throws InterruptedException, ExecutionException, TimeoutException {
        return new WaitingThread(name);
    }

    public int tid() {
        return tid;
    }

    /**
     * Lets the thread end and waits until {@code stillThere} answers false: the kernel finishes
     * tearing the task down just after the JVM sees the thread end. Gives up after 10 s, leaving
     * the caller's assertion to fail.
     */
    public void exit(BooleanSupplier stillThere) throws InterruptedException {
        release.countDown();
        thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (stillThere.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        release.countDown();
    }
}
