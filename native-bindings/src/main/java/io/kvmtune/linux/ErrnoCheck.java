package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import java.lang.foreign.MemorySegment;

/** Turns the -1 of a libc call into a {@link LinuxException} carrying the captured errno. */
final class ErrnoCheck {

    private ErrnoCheck() {
    }

    /**
     * Returns {@code rc} unless it is -1, in which case the errno captured in {@code callState}
     * becomes the exception.
     */
    static int check(int rc, MemorySegment callState, String call, String target) {
        if (rc == -1) {
            throw new LinuxException(call, target, LinuxCalls.errno(callState));
        }
        return rc;
    }
}
