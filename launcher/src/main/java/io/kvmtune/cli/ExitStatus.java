package io.kvmtune.cli;

/** The exit codes of CLI.md; scripts and libvirt act on them. */
public enum ExitStatus {
    OK(0),
    /** A check or verify found a difference. */
    DIFFERENCE(1),
    /** Usage, spec, config or XML that cannot be honoured as written. */
    INVALID_INPUT(2),
    /** Apply failed and everything was rolled back. */
    ROLLED_BACK(3),
    /** Missing permission or component: not root, no QEMU, no cgroup controller, not built yet. */
    MISSING(4),
    /** The request does not fit the host. */
    DOES_NOT_FIT(5),
    /** A bug in kvmtune (an exception nobody anticipated); the stack trace goes to stderr. */
    INTERNAL_ERROR(70);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
