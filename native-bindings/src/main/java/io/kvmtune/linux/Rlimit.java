package io.kvmtune.linux;

import io.kvmtune.linux.lib.kvmtune_linux_h;

/** The resource limits kvmtune reads and sets: {@code RLIMIT_*} from {@code <sys/resource.h>}. */
public enum Rlimit {
    /** {@code RLIMIT_MEMLOCK}: bytes a process may lock (QEMU's {@code mem-lock=on}). */
    MEMLOCK(kvmtune_linux_h.RLIMIT_MEMLOCK()),
    /** {@code RLIMIT_NICE}: the ceiling {@code 20 - limit} for nice without CAP_SYS_NICE. */
    NICE(kvmtune_linux_h.RLIMIT_NICE()),
    /** {@code RLIMIT_RTPRIO}: the highest real-time priority allowed without CAP_SYS_NICE. */
    RTPRIO(kvmtune_linux_h.RLIMIT_RTPRIO()),
    /** {@code RLIMIT_RTTIME}: microseconds of real-time CPU without a blocking call before SIGXCPU. */
    RTTIME(kvmtune_linux_h.RLIMIT_RTTIME());

    private final int resource;

    Rlimit(int resource) {
        this.resource = resource;
    }

    /** The {@code RLIMIT_*} number. */
    public int resource() {
        return resource;
    }
}
