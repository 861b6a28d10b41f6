package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * A file kept open to be read again and again from where the caller says, straight through
 * {@code openat}, {@code pread64} and {@code close}: a task's {@code /proc/<tid>/stat}, which the
 * kernel ties to the task it was opened on. The agent opens one for each thread born into a
 * guest it follows, at the thread's fork, and the vCPU's tuning waits for that. Through
 * {@link java.nio.channels.FileChannel} the same two calls run through a channel, the cleaner
 * it registers and a temporary direct buffer, code that has gone cold between two births. Not
 * for use by two threads at once; close it when done, as no cleaner closes it for the caller.
 */
public final class OpenFile implements AutoCloseable {

    private final String path;
    private final int fd;
    private boolean closed;

    private OpenFile(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens {@code path} for reading; empty when it does not exist or its task has exited.
     *
     * @throws LinuxException for any other failure (EACCES, ...)
     */
    public static Optional<OpenFile> open(String path) {
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            int fd = LinuxCalls.openat(state, OpenFlags.AT_FDCWD, arena.allocateFrom(path),
                    OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
            if (fd != -1) {
                return Optional.of(new OpenFile(path, fd));
            }
            int errno = LinuxCalls.errno(state);
            if (RawFiles.gone(errno)) {
                return Optional.empty();
            }
            throw new LinuxException("open", path, errno);
        }
    }

    /**
     * Reads up to {@code length} bytes at {@code position} of the file into {@code into} from
     * {@code offset}, again after an interruption.
     *
     * @return how many bytes were read; 0 at the end of the file
     * @throws LinuxException when the read fails: ESRCH once the file's task has exited
     */
    public int readAt(byte[] into, int offset, int length, long position) {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            MemorySegment buffer = arena.allocate(Math.max(1, length));
            while (true) {
                long n = LinuxCalls.pread(state, fd, buffer, length, position);
                if (n >= 0) {
                    MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, into, offset, (int) n);
                    return (int) n;
                }
                int errno = LinuxCalls.errno(state);
                if (errno != Errno.EINTR.number()) {
                    throw new LinuxException("pread", path, errno);
                }
            }
        }
    }

    /** The descriptor, for the other calls of this package; valid until {@link #close}. */
    int fd() {
        return fd;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            // the descriptor is released even when close reports an error (EINTR, EIO): never retried
            LinuxCalls.close(LinuxCalls.allocateCallState(arena), fd);
        }
    }
}
