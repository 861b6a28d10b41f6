package io.kvmtune.linux.lib;

import java.util.Locale;
import java.util.Optional;

/**
 * System call numbers for the calls kvmtune may make through {@code syscall(2)}, per
 * architecture: x86_64 from {@code <asm/unistd_64.h>}, aarch64 from
 * {@code <asm-generic/unistd.h>}. jextract would bake in the build host's numbers, so this table
 * is written by hand and the ABI test checks both columns against the kernel headers.
 */
public enum SyscallNumbers {
    X86_64(203, 204, 314, 315, 151, 152, 302, 434, 186, 257, 16, 0, 17, 217, 3),
    AARCH64(122, 123, 274, 275, 230, 231, 261, 434, 178, 56, 29, 63, 67, 61, 57);

    private final long schedSetaffinity;
    private final long schedGetaffinity;
    private final long schedSetattr;
    private final long schedGetattr;
    private final long mlockall;
    private final long munlockall;
    private final long prlimit64;
    private final long pidfdOpen;
    private final long gettid;
    private final long openat;
    private final long ioctl;
    private final long read;
    private final long pread64;
    private final long getdents64;
    private final long close;

    SyscallNumbers(long schedSetaffinity, long schedGetaffinity, long schedSetattr, long schedGetattr,
            long mlockall, long munlockall, long prlimit64, long pidfdOpen, long gettid, long openat, long ioctl, long read,
            long pread64, long getdents64, long close) {
        this.schedSetaffinity = schedSetaffinity;
        this.schedGetaffinity = schedGetaffinity;
        this.schedSetattr = schedSetattr;
        this.schedGetattr = schedGetattr;
        this.mlockall = mlockall;
        this.munlockall = munlockall;
        this.prlimit64 = prlimit64;
        this.pidfdOpen = pidfdOpen;
        this.gettid = gettid;
        this.openat = openat;
        this.ioctl = ioctl;
        this.read = read;
        this.pread64 = pread64;
        this.getdents64 = getdents64;
        this.close = close;
    }

    /**
     * The table for the running JVM's {@code os.arch}.
     *
     * @throws UnsupportedOperationException on an architecture without a table
     */
    public static SyscallNumbers current() {
        return Running.TABLE.orElseThrow(() -> unsupported(System.getProperty("os.arch")));
    }

    /** Looked up once: {@code sched_setattr} and {@code sched_getattr} need the number on every call. */
    private static final class Running {
        static final Optional<SyscallNumbers> TABLE = lookup(System.getProperty("os.arch"));
    }

    /**
     * The table for an {@code os.arch} value ({@code amd64}/{@code x86_64}, {@code aarch64}).
     *
     * @throws UnsupportedOperationException on an architecture without a table
     */
    public static SyscallNumbers forArch(String osArch) {
        return lookup(osArch).orElseThrow(() -> unsupported(osArch));
    }

    private static Optional<SyscallNumbers> lookup(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> Optional.of(X86_64);
            case "aarch64", "arm64" -> Optional.of(AARCH64);
            default -> Optional.empty();
        };
    }

    private static UnsupportedOperationException unsupported(String osArch) {
        return new UnsupportedOperationException("kvmtune has no system call table for os.arch=" + osArch
                + " (supported: x86_64, aarch64)");
    }

    /** {@code SYS_sched_setaffinity}. */
    public long sched_setaffinity() {
        return schedSetaffinity;
    }

    /** {@code SYS_sched_getaffinity}. */
    public long sched_getaffinity() {
        return schedGetaffinity;
    }

    /** {@code SYS_sched_setattr}. */
    public long sched_setattr() {
        return schedSetattr;
    }

    /** {@code SYS_sched_getattr}. */
    public long sched_getattr() {
        return schedGetattr;
    }

    /** {@code SYS_mlockall}. */
    public long mlockall() {
        return mlockall;
    }

    /** {@code SYS_munlockall}. */
    public long munlockall() {
        return munlockall;
    }

    /** {@code SYS_prlimit64}, which glibc's {@code prlimit} calls. */
    public long prlimit64() {
        return prlimit64;
    }

    /** {@code SYS_pidfd_open} (Linux 5.3; the same number on every architecture). */
    public long pidfd_open() {
        return pidfdOpen;
    }

    /** {@code SYS_gettid}. */
    public long gettid() {
        return gettid;
    }

    /** {@code SYS_openat}. */
    public long openat() {
        return openat;
    }

    /** {@code SYS_ioctl}. */
    public long ioctl() {
        return ioctl;
    }

    /** {@code SYS_read}. */
    public long read() {
        return read;
    }

    /** {@code SYS_pread64}. */
    public long pread64() {
        return pread64;
    }

    /** {@code SYS_getdents64}. */
    public long getdents64() {
        return getdents64;
    }

    /** {@code SYS_close}. */
    public long close() {
        return close;
    }
}
