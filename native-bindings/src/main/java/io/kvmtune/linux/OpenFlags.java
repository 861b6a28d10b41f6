package io.kvmtune.linux;

/**
 * The {@code openat} arguments kvmtune uses, by value: these are the same on x86_64 and aarch64
 * (unlike {@code O_DIRECTORY}, which kvmtune therefore does not pass).
 */
final class OpenFlags {

    private OpenFlags() {
    }

    /** {@code dirfd} for a path relative to the working directory, or an absolute one. */
    static final int AT_FDCWD = -100;
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
}
