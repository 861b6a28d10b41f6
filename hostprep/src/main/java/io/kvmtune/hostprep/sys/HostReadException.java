package io.kvmtune.hostprep.sys;

import java.io.IOException;

/**
 * A host file that exists but could not be read (permission, I/O error, a directory). Carries the
 * host path and the kernel's reason so that a check can report it as unsupported evidence.
 */
public final class HostReadException extends RuntimeException {

    private final String hostPath;

    public HostReadException(String hostPath, IOException cause) {
        super("cannot read " + hostPath + ": " + KernelWriteErrors.reason(cause), cause);
        this.hostPath = hostPath;
    }

    public String hostPath() {
        return hostPath;
    }

    /** The kernel's reason alone, such as {@code Permission denied}. */
    public String reason() {
        return KernelWriteErrors.reason((IOException) getCause());
    }
}
