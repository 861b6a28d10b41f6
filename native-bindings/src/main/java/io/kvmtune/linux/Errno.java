package io.kvmtune.linux;

/**
 * The error numbers kvmtune's system calls can report, with their values from
 * {@code <asm-generic/errno-base.h>} and {@code <asm-generic/errno.h>} (shared by x86_64 and
 * aarch64) and glibc's {@code strerror} text. A number not listed maps to {@link #UNKNOWN};
 * {@link LinuxException#errnoNumber()} keeps the raw value.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    EMFILE(24, "Too many open files"),
    ENOSPC(28, "No space left on device"),
    ERANGE(34, "Numerical result out of range"),
    EDEADLK(35, "Resource deadlock avoided"),
    ENOSYS(38, "Function not implemented"),
    EOPNOTSUPP(95, "Operation not supported"),
    ENOBUFS(105, "No buffer space available"),
    /** A number this enum does not list. */
    UNKNOWN(-1, "Unknown error");

    private final int number;
    private final String description;

    Errno(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /** The kernel's number, or -1 for {@link #UNKNOWN}. */
    public int number() {
        return number;
    }

    /** What {@code strerror} says for this error. */
    public String description() {
        return description;
    }

    /** The constant for {@code number}, or {@link #UNKNOWN}. */
    public static Errno of(int number) {
        for (Errno e : values()) {
            if (e.number == number && e != UNKNOWN) {
                return e;
            }
        }
        return UNKNOWN;
    }
}
