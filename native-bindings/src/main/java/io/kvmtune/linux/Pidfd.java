package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file descriptor that refers to one process ({@code pidfd_open}, Linux 5.3): unlike a pid it
 * can never come to mean another process after the first one exits, which makes it the safe
 * handle on a QEMU that kvmtune tunes. Close it when done.
 */
public final class Pidfd implements AutoCloseable {

    private final int pid;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Pidfd(int pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    /**
     * Opens a pidfd for process {@code pid}.
     *
     * @throws LinuxException ESRCH when there is no such process; EINVAL (before Linux 6.9) or
     *                        ENOENT when {@code pid} is a thread that does not lead its process;
     *                        ENOSYS on kernels before 5.3
     */
    public static Pidfd open(int pid) {
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            int fd = LinuxCalls.pidfd_open(state, pid, 0);
            if (fd == -1) {
                int errno = LinuxCalls.errno(state);
                throw new LinuxException("pidfd_open", "pid " + pid, errno,
                        errno == Errno.ENOSYS.number() ? "unsupported: pidfd_open needs Linux 5.3 or newer" : "");
            }
            return new Pidfd(pid, fd);
        }
    }

    /** The process this descriptor refers to. */
    public int pid() {
        return pid;
    }

    /** The file descriptor number. */
    public int fd() {
        return fd;
    }

    /** Closes the descriptor; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            ErrnoCheck.check(LinuxCalls.close(state, fd), state, "close", "fd " + fd);
        }
    }

    @Override
    public String toString() {
        return "pidfd " + fd + " (pid " + pid + ")";
    }
}
