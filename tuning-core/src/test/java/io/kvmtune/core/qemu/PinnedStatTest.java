package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinnedStatTest {

    private static final byte[] LINE = (FakeProc.statLine(42, "CPU 0/KVM", 'S', 7, 0, 99, 1, 2, 1) + "\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    /** A file that answers each read with at most {@code chunk} bytes and records where each read started. */
    private static final class ChunkedFile implements PinnedStat.PositionalRead {
        final byte[] content;
        final int chunk;
        final List<Long> reads = new ArrayList<>();

        ChunkedFile(byte[] content, int chunk) {
            this.content = content;
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer into, long position) {
            reads.add(position);
            if (position >= content.length) {
                return -1;
            }
            int n = Math.min(Math.min(chunk, into.remaining()), content.length - (int) position);
            into.put(content, (int) position, n);
            return n;
        }
    }

    @Test
    void aLineTheKernelHandsOverWholeIsReadInOneCall() throws Exception {
        ChunkedFile file = new ChunkedFile(LINE, Integer.MAX_VALUE);
        ByteBuffer buffer = ByteBuffer.allocate(2048);

        int length = PinnedStat.readLine(file, buffer);

        assertThat(length).isEqualTo(LINE.length);
        assertThat(file.reads).as("no second read to find the end of the file").containsExactly(0L);
        assertThat(ProcStat.parseStartTime(buffer.array(), length)).isEqualTo(99);
    }

    @Test
    void aShortReadIsContinuedUntilTheNewline() throws Exception {
        int third = LINE.length / 3 + 1;
        ChunkedFile file = new ChunkedFile(LINE, third);
        ByteBuffer buffer = ByteBuffer.allocate(2048);

        int length = PinnedStat.readLine(file, buffer);

        assertThat(length).isEqualTo(LINE.length);
        assertThat(file.reads).containsExactly(0L, (long) third, 2L * third);
        assertThat(ProcStat.parseStartTime(buffer.array(), length)).isEqualTo(99);
    }

    @Test
    void aLineWithoutNewlineIsReadToTheEndOfTheFile() throws Exception {
        byte[] unterminated = FakeProc.statLine(42, "x", 'S', 7, 0, 99, 1, 2, 1).getBytes(StandardCharsets.ISO_8859_1);
        ChunkedFile file = new ChunkedFile(unterminated, Integer.MAX_VALUE);
        ByteBuffer buffer = ByteBuffer.allocate(2048);

        assertThat(PinnedStat.readLine(file, buffer)).isEqualTo(unterminated.length);
        assertThat(file.reads).containsExactly(0L, (long) unterminated.length);
    }

    @Test
    void anEmptyFileIsAnEmptyLine() throws Exception {
        assertThat(PinnedStat.readLine(new ChunkedFile(new byte[0], 100), ByteBuffer.allocate(2048))).isZero();
    }
}
