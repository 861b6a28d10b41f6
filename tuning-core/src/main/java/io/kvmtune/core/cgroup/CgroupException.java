package io.kvmtune.core.cgroup;

/**
 * A cgroup control file could not be read or written. The kernel's refusal (EINVAL for a CPU
 * outside the parent's cpuset, EBUSY, EPERM) arrives as the message of the I/O error.
 */
public final class CgroupException extends RuntimeException {

    private final CgroupFile file;
    private final boolean gone;

    CgroupException(CgroupFile file, String message, boolean gone, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.gone = gone;
    }

    /** The file that could not be read or written, or {@code null} when a directory listing failed. */
    public CgroupFile file() {
        return file;
    }

    /** True when the group no longer exists (its guest stopped and libvirt removed it). */
    public boolean gone() {
        return gone;
    }
}
