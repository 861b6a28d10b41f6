package io.kvmtune.core.qemu;

import io.kvmtune.linux.Errno;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.OpenFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An open {@code /proc/<tid>/stat}. The kernel ties an open {@code /proc} file to the task that
 * had the id when it was opened, not to the id: once that task has exited every read fails
 * (ESRCH), even after the id has been given to a new task. So a read that succeeds proves the
 * task is still alive, and re-reading the open file is about half the cost of opening it again
 * (no path walk through {@code /proc}). Close it when done: it is a raw descriptor
 * ({@link OpenFile}), which no cleaner closes.
 */
public final class PinnedStat implements AutoCloseable {

    // Field 22 ends within the first 350 bytes even with the pid, comm (at most 64 bytes) and fields
    // 3 to 21 at their widest; the rest of the line (52 numbers in all) is not needed, and one
    // buffer per pinned thread is allocated on every apply.
    private static final int LINE_BYTES = 512;

    private final Path file;
    private final OpenFile open;
    private final ByteBuffer buffer = ByteBuffer.allocate(LINE_BYTES);

    private PinnedStat(Path file, OpenFile open) {
        this.file = file;
        this.open = open;
    }

    /** Opens {@code file}; empty when the task is gone. */
    static Optional<PinnedStat> open(Path file) {
        try {
            return OpenFile.open(file.toString()).map(f -> new PinnedStat(file, f));
        } catch (LinuxException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), new IOException(e));
        }
    }

    /**
     * The start time (field 22) of the task this file was opened on, read now; empty once that
     * task has exited, whatever the id names today.
     */
    public OptionalLong startTime() {
        int length;
        try {
            length = readLine(this::readAt, buffer);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ESRCH) {
                return OptionalLong.empty();
            }
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), new IOException(e));
        }
        return length == 0 ? OptionalLong.empty() : OptionalLong.of(ProcStat.parseStartTime(buffer.array(), length));
    }

    /** Reads into the room left in {@code into}, a heap buffer, advancing its position. */
    private int readAt(ByteBuffer into, long position) {
        int n = open.readAt(into.array(), into.arrayOffset() + into.position(), into.remaining(), position);
        into.position(into.position() + n);
        return n;
    }

    /** A read at a file offset into the room left in a buffer, advancing its position; 0 or less at the end. */
    @FunctionalInterface
    interface PositionalRead {
        int read(ByteBuffer into, long position);
    }

    /**
     * Reads the line at the start of the file into {@code buffer} (a heap buffer), as much of it
     * as fits, returning its length. The kernel hands a stat line over whole, newline included, in one read; only a read
     * that ends elsewhere was short and is continued. Reading on until end of file would cost a
     * system call per check for nothing.
     */
    static int readLine(PositionalRead in, ByteBuffer buffer) {
        buffer.clear();
        while (buffer.hasRemaining() && in.read(buffer, buffer.position()) > 0
                && buffer.get(buffer.position() - 1) != '\n') {
            // a short read: continue where it stopped
        }
        return buffer.position();
    }

    @Override
    public void close() {
        open.close();
    }
}
