package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;

/** Identity of the calling thread as the kernel sees it. */
public final class Threads {

    private Threads() {
    }

    /** The kernel thread id of the calling thread ({@code gettid}), as in {@code /proc/<pid>/task}. */
    public static int currentTid() {
        NativeAccess.require();
        return LinuxCalls.gettid();
    }
}
