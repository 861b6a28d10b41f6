package io.kvmtune.linux;

/**
 * kvmtune cannot call Linux from this JVM: native access is not enabled for it, or the platform
 * is not Linux. The message names the exact flag or requirement.
 */
public class NativeAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is missing and how to provide it */
    public NativeAccessException(String message) {
        super(message);
    }
}
