package io.kvmtune.core.apply;

/** The steps of an apply, in the order they run; a {@link StepObserver} hears of each as it completes. */
public enum ApplyStep {
    /** The snapshot is saved under the record directory: from here on {@code restore} can undo. */
    RECORD_SAVED,
    /** Realtime runtime handed to the realtime vCPUs' cpu groups (cgroup v1, RT group scheduling). */
    RT_BUDGET,
    /** {@code cpuset.cpus} of libvirt's per-thread groups written. */
    CPUSETS,
    /** {@code sched_setaffinity} done on every thread. */
    AFFINITY,
    /** {@code sched_setattr} done on every thread. */
    SCHEDULER,
    /** RLIMIT_MEMLOCK raised. */
    MEMLOCK,
    /** Everything read back from the kernel and found as planned. */
    VERIFIED
}
