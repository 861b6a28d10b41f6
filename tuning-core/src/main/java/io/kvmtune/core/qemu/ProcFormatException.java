package io.kvmtune.core.qemu;

/**
 * A {@code /proc} file whose text is not in the kernel's documented format (proc(5)). Readers
 * throw this, naming the file and the field, rather than guessing a value the apply engine would
 * then act on.
 */
public final class ProcFormatException extends RuntimeException {

    public ProcFormatException(String message) {
        super(message);
    }

    public ProcFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
