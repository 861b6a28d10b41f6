package io.kvmtune.core.apply;

import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/** Reads threads' state only while their identity still holds, so a reused id is never mistaken for them. */
final class LiveThreads {

    private final ThreadControl threads;

    LiveThreads(ThreadControl threads) {
        this.threads = threads;
    }

    /** Whether the id still names the thread that was found (same start time). */
    boolean alive(ThreadIdentity identity) {
        return threads.startTime(identity.tid()).equals(OptionalLong.of(identity.startTime()));
    }

    /**
     * The thread's state, or empty when it has exited or its id names another thread now. The
     * identity is checked once, after reading: a thread alive then was alive all along, so the
     * values read are its own.
     */
    Optional<ThreadState> read(ThreadIdentity identity) {
        try (ThreadPin pin = threads.pin(identity)) {
            return read(identity.tid(), pin);
        }
    }

    /**
     * The state of the thread {@code pin} holds, read through its id {@code tid}, or empty when
     * it has exited. Costs one check of the pin, after the two system calls.
     */
    Optional<ThreadState> read(int tid, ThreadPin pin) {
        return read(tid, pin, state -> false);
    }

    /**
     * As {@link #read(int, ThreadPin)} for the thread of {@code target}, with the pin checked only
     * when the state read is not the planned one. A thread that reused the id and happens to be as
     * planned asks nothing of the caller, which acts only on a difference: so finding a thread as
     * planned costs two system calls, not three.
     */
    Optional<ThreadState> read(ThreadTarget target, ThreadPin pin) {
        return read(target.thread().tid(), pin, target::isMetBy);
    }

    private Optional<ThreadState> read(int tid, ThreadPin pin, Predicate<ThreadState> trustedWithoutPin) {
        ThreadState state;
        try {
            state = new ThreadState(threads.affinity(tid), threads.scheduling(tid));
        } catch (ThreadControlException e) {
            // ESRCH, or another error from a thread that reused the id: either way the thread is gone
            if (e.failure() == ThreadControlException.Failure.GONE || !pin.alive()) {
                return Optional.empty();
            }
            throw e;
        }
        return trustedWithoutPin.test(state) || pin.alive() ? Optional.of(state) : Optional.empty();
    }

    /** QEMU's pool workers exit when idle; any other thread leaving means the guest changed or died. */
    static boolean mayVanish(QemuGuest guest, QemuThread t) {
        return t.role() instanceof ThreadRole.Emulator && t.tid() != guest.pid();
    }
}
