package io.kvmtune.core.apply;

import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import java.util.Optional;
import java.util.OptionalLong;

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
     * identity is checked before and after reading, so the values read are the thread's own.
     */
    Optional<ThreadState> read(ThreadIdentity identity) {
        try {
            if (!alive(identity)) {
                return Optional.empty();
            }
            ThreadState state = new ThreadState(threads.affinity(identity.tid()), threads.scheduling(identity.tid()));
            return alive(identity) ? Optional.of(state) : Optional.empty();
        } catch (ThreadControlException e) {
            if (e.failure() == ThreadControlException.Failure.GONE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** QEMU's pool workers exit when idle; any other thread leaving means the guest changed or died. */
    static boolean mayVanish(QemuGuest guest, QemuThread t) {
        return t.role() instanceof ThreadRole.Emulator && t.tid() != guest.pid();
    }
}
