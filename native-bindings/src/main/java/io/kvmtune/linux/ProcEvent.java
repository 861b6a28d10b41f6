package io.kvmtune.linux;

/**
 * One event of the kernel's process events connector ({@code <linux/cn_proc.h>}), as
 * {@link ProcConnector} receives it. Ids are the kernel's: {@code pid} is a thread id, {@code tgid}
 * the id of its process. Timestamps are {@code CLOCK_MONOTONIC} nanoseconds, the clock of
 * {@link Clock#monotonicNanos()}.
 */
public sealed interface ProcEvent {

    /** When the kernel sent the event; 0 for {@link Lost}. */
    long timestampNs();

    /**
     * A process or thread was created ({@code PROC_EVENT_FORK}).
     *
     * @param childPid the new thread's id
     * @param childTgid its process; equal to {@code childPid} for a new process
     */
    record Fork(long timestampNs, int parentPid, int parentTgid, int childPid, int childTgid) implements ProcEvent {

        /** Whether a thread was added to an existing process, rather than a process created. */
        public boolean isThread() {
            return childPid != childTgid;
        }
    }

    /** A process replaced its program ({@code PROC_EVENT_EXEC}). */
    record Exec(long timestampNs, int pid, int tgid) implements ProcEvent {
    }

    /** Thread {@code pid} of process {@code tgid} took the name {@code comm} ({@code PROC_EVENT_COMM}). */
    record Comm(long timestampNs, int pid, int tgid, String comm) implements ProcEvent {
    }

    /**
     * Thread {@code pid} of process {@code tgid} exited ({@code PROC_EVENT_EXIT}); the process is
     * gone when {@code pid == tgid}.
     */
    record Exit(long timestampNs, int pid, int tgid, int exitCode, int exitSignal) implements ProcEvent {

        /** Whether this is the exit of the process itself (its leader thread). */
        public boolean isProcess() {
            return pid == tgid;
        }
    }

    /** An event kvmtune does not read (uid, gid, sid, ptrace, coredump changes), by its {@code what}. */
    record Other(long timestampNs, int what) implements ProcEvent {
    }

    /**
     * Events were dropped: the socket's receive buffer overflowed ({@code ENOBUFS}) or the kernel
     * said so ({@code NLMSG_OVERRUN}). Whoever keeps state from the events must read it afresh.
     */
    record Lost() implements ProcEvent {
        @Override
        public long timestampNs() {
            return 0;
        }
    }
}
