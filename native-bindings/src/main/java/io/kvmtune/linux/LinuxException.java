package io.kvmtune.linux;

import java.util.Objects;

/**
 * A Linux call failed: which call, on which target, and the errno it returned. The message
 * reads like {@code sched_setattr(tid 1234): EPERM: Operation not permitted}, so it can be shown
 * to an operator as it is.
 */
public class LinuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final String target;
    private final int errnoNumber;

    /**
     * @param call        the libc function or system call, e.g. {@code sched_setattr}
     * @param target      what it acted on, e.g. {@code tid 1234} or {@code pid 99}; empty for none
     * @param errnoNumber the raw errno
     */
    public LinuxException(String call, String target, int errnoNumber) {
        this(call, target, errnoNumber, "");
    }

    /**
     * @param hint appended to the message to say what the error means here, e.g. the kernel
     *             version a call needs; empty for none
     */
    public LinuxException(String call, String target, int errnoNumber, String hint) {
        super(message(call, target, errnoNumber, hint));
        this.call = Objects.requireNonNull(call, "call");
        this.target = Objects.requireNonNull(target, "target");
        this.errnoNumber = errnoNumber;
    }

    private static String message(String call, String target, int errnoNumber, String hint) {
        Errno errno = Errno.of(errnoNumber);
        String what = errno == Errno.UNKNOWN
                ? "errno " + errnoNumber + ": Unknown error " + errnoNumber
                : errno.name() + ": " + errno.description();
        return call + (target.isEmpty() ? "" : "(" + target + ")") + ": " + what
                + (hint.isEmpty() ? "" : " (" + hint + ")");
    }

    /** The libc function or system call that failed. */
    public String call() {
        return call;
    }

    /** What the call acted on ({@code tid 1234}, {@code pid 99}, {@code fd 7}), or empty. */
    public String target() {
        return target;
    }

    /** The errno as a constant; {@link Errno#UNKNOWN} when not listed there. */
    public Errno errno() {
        return Errno.of(errnoNumber);
    }

    /** The raw errno. */
    public int errnoNumber() {
        return errnoNumber;
    }
}
