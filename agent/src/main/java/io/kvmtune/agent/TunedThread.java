package io.kvmtune.agent;

import io.kvmtune.core.apply.ThreadTarget;
import io.kvmtune.core.qemu.QemuThread;

/**
 * A thread the agent watches: tuned by it or found as planned.
 *
 * @param target the thread and what the plan asks of it
 * @param tunedAtNs {@code CLOCK_MONOTONIC} when it was last made as planned
 */
record TunedThread(ThreadTarget target, long tunedAtNs) {

    QemuThread thread() {
        return target.thread();
    }
}
