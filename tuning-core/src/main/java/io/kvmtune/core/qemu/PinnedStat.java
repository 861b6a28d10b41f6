package io.kvmtune.core.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An open {@code /proc/<tid>/stat}. The kernel ties an open {@code /proc} file to the task that
 * had the id when it was opened, not to the id: once that task has exited every read fails
 * (ESRCH), even after the id has been given to a new task. So a read that succeeds proves the
 * task is still alive, and re-reading the open file is about half the cost of opening it again
 * (no path walk through {@code /proc}). Close it when done.
 */
public final class PinnedStat implements AutoCloseable {

    // the whole stat line: comm is at most 64 bytes, the 52 numbers at most 20 digits each
    private static final int LINE_BYTES = 2048;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(LINE_BYTES);

    private PinnedStat(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens {@code file}; empty when the task is gone. */
    static Optional<PinnedStat> open(Path file) {
        return ProcFs.openIfPresent(file).map(ch -> new PinnedStat(file, ch));
    }

    /**
     * The start time (field 22) of the task this file was opened on, read now; empty once that
     * task has exited, whatever the id names today.
     */
    public OptionalLong startTime() {
        buffer.clear();
        try {
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // a stat line normally arrives in one read; loop for the rare short read
            }
        } catch (IOException e) {
            if (ProcFs.isGone(e)) {
                return OptionalLong.empty();
            }
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (buffer.position() == 0) {
            return OptionalLong.empty();
        }
        String line = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
        return OptionalLong.of(ProcStat.parseStartTime(line.strip()));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
