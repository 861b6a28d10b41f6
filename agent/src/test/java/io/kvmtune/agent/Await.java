package io.kvmtune.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in the agent's tests for what the agent, QEMU or libvirtd do on their own time. */
final class Await {

    /** Generous: these tests run beside builds on two CPUs, and inside the emulated kernel lab. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Await() {
    }

    /** Polls {@code condition} every 10 ms until it holds; fails naming {@code what} after a minute. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
