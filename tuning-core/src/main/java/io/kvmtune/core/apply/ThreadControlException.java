package io.kvmtune.core.apply;

/**
 * The kernel refused to read or change a thread's affinity or scheduling.
 *
 * <p>{@link Failure} is what the apply engine acts on: a thread that is {@link Failure#GONE} is
 * reported, not restored; every other failure rolls the apply back.
 */
public final class ThreadControlException extends RuntimeException {

    /** Why the kernel refused, from its errno. */
    public enum Failure {
        /** ESRCH: the thread has exited. */
        GONE,
        /** EINVAL: no allowed CPU in the mask (offline, absent, outside the cpuset), bad attributes. */
        INVALID,
        /** EPERM/EACCES: no CAP_SYS_NICE, or SCHED_FIFO in a cgroup without realtime runtime. */
        NOT_PERMITTED,
        /** Any other errno. */
        OTHER
    }

    private final int tid;
    private final Failure failure;

    public ThreadControlException(int tid, Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.tid = tid;
        this.failure = failure;
    }

    public ThreadControlException(int tid, Failure failure, String message) {
        this(tid, failure, message, null);
    }

    public int tid() {
        return tid;
    }

    public Failure failure() {
        return failure;
    }
}
