package io.kvmtune.cli.hook;

import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.NativeAccess;
import io.kvmtune.linux.Scheduling;

/**
 * Links the downcalls an apply makes ({@code sched_getaffinity}, {@code sched_setaffinity},
 * {@code sched_getattr}, {@code sched_setattr}) on a second thread, while the main thread of a
 * hook call or of a picocli-free {@code kvmtune apply} reads the plan, the claims ledger and
 * /proc. Linking is the largest single cost of a short-lived JVM's first downcalls (tens of
 * milliseconds of method-handle and stub generation, which the AOT cache cannot keep), so on a
 * host with a CPU to spare the apply finds them linked and the guest runs untuned that much less.
 *
 * <p>The thread links them by calling them on itself with its own values, which changes
 * nothing. It is a daemon: the JVM never waits for it. A failure here is ignored; the apply
 * makes the same calls and reports what fails.
 */
public final class NativeWarmup {

    private NativeWarmup() {
    }

    public static void start() {
        if (NativeAccess.isEnabled()) {
            Thread.ofPlatform().name("kvmtune-native-warmup").daemon().start(NativeWarmup::linkOnThisThread);
        }
    }

    private static void linkOnThisThread() {
        try {
            Affinity.set(0, Affinity.get(0));
            Scheduling.set(0, Scheduling.get(0));
        } catch (RuntimeException | LinkageError ignored) {
            // the apply makes these calls again and reports their failure with its context
        }
    }
}
