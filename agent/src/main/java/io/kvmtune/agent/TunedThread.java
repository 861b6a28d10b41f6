package io.kvmtune.agent;

import io.kvmtune.core.apply.ThreadPin;
import io.kvmtune.core.apply.ThreadTarget;
import io.kvmtune.core.qemu.QemuThread;

/**
 * A thread the agent watches: tuned by it or found as planned.
 *
 * @param target the thread and what the plan asks of it
 * @param pin the agent's hold on the thread, for the cheap identity check of each read-back;
 *     closed when the thread is no longer watched
 * @param tunedAtNs {@code CLOCK_MONOTONIC} when it was last made as planned
 */
record TunedThread(ThreadTarget target, ThreadPin pin, long tunedAtNs) {

    QemuThread thread() {
        return target.thread();
    }
}
