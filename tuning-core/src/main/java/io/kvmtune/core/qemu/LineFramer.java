package io.kvmtune.core.qemu;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;

/**
 * Splits a byte stream into newline-terminated UTF-8 lines, as QMP frames its messages, with a
 * bound on line length so that a misbehaving peer cannot make the reader buffer without end.
 */
final class LineFramer {

    private final int maxLineBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Queue<String> lines = new ArrayDeque<>();

    LineFramer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Takes every remaining byte of {@code bytes}.
     *
     * @throws QmpException with code {@code QmpProtocolError} when a line grows beyond the bound
     */
    void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n') {
                String line = partial.toString(StandardCharsets.UTF_8).strip();
                partial.reset();
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            } else {
                if (partial.size() >= maxLineBytes) {
                    throw QmpException.protocol("QMP sent a line longer than " + maxLineBytes + " bytes", null);
                }
                partial.write(b);
            }
        }
    }

    /** The next complete line, without its terminator and surrounding white space. */
    Optional<String> next() {
        return Optional.ofNullable(lines.poll());
    }
}
