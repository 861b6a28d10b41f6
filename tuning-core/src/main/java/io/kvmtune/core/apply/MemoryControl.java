package io.kvmtune.core.apply;

import io.kvmtune.linux.ResourceLimit;

/**
 * Memory locking of a QEMU process: its {@code RLIMIT_MEMLOCK} (read and raised with
 * {@code prlimit(2)}, which needs CAP_SYS_RESOURCE) and how much of it is locked now
 * ({@code VmLck} of {@code /proc/<pid>/status}).
 */
public interface MemoryControl {

    // Every method throws ThreadControlException with the process id and the kernel's reason.

    /** The process's current limit. */
    ResourceLimit memlockLimit(int pid);

    /** Sets the process's limit. */
    void setMemlockLimit(int pid, ResourceLimit limit);

    /** Bytes of the process's memory locked now. */
    long lockedBytes(int pid);
}
