package io.kvmtune.agent;

import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.SchedAttr;
import io.kvmtune.linux.SchedFlag;
import io.kvmtune.linux.Scheduling;
import io.kvmtune.linux.Threads;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The scheduling of the agent's event thread ({@code [agent] event_priority}). A vCPU is born
 * while QEMU creates it and libvirt places it, all of them ordinary tasks on the host's
 * housekeeping CPUs: under SCHED_OTHER the agent's thread waits its turn among them, to wake for
 * the vCPU's name and again between the steps of its apply. Under SCHED_FIFO at a low priority it
 * runs as soon as the kernel's event arrives and until it waits again, and it still yields to any
 * realtime task of a higher priority and, at the same one, to a realtime vCPU already running.
 * Only that thread: the JVM's compiler, collector and the status and metrics servers stay
 * ordinary, and nothing it starts inherits the policy ({@code SCHED_FLAG_RESET_ON_FORK}).
 *
 * <p>Only while the kernel throttles realtime tasks ({@link RealtimeThrottling}).
 */
final class EventThreadPriority {

    static final int NONE = 0;
    static final int MAX = 99;

    private EventThreadPriority() {
    }

    /**
     * Gives the calling thread SCHED_FIFO at {@code priority} ({@link #NONE}: leaves it as it is).
     *
     * @return how it runs now, for the agent's log: {@code fifo:1}, or {@code other} and why
     */
    static String take(int priority, Path procRoot) {
        if (priority == NONE) {
            return "other";
        }
        try {
            if (!RealtimeThrottling.inForce(procRoot)) {
                return "other (event_priority " + priority + " not taken: realtime throttling is off,"
                        + " kernel.sched_rt_runtime_us = -1)";
            }
            Scheduling.set(Threads.currentTid(), SchedAttr.fifo(priority).withFlags(SchedFlag.RESET_ON_FORK));
            return "fifo:" + priority;
        } catch (IOException | LinuxException e) {
            return "other (event_priority " + priority + " not taken: " + e.getMessage() + ")";
        }
    }
}
