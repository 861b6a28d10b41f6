package io.kvmtune.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the small files of {@code /proc} and cgroupfs in as few system calls as possible: open,
 * read until end of file, close. {@link java.nio.file.Files#readAllBytes} sizes its buffer by a
 * {@code fstat} first and, as these files report size 0, then probes with a one-byte read: six
 * calls for a file of a few hundred bytes, where four do. An apply reads a dozen such files
 * before a vCPU born a moment ago gets its pCPU and policy, so the calls saved shorten its
 * untuned window.
 */
public final class KernelFile {

    /** Enough for a thread's cgroup list, a cpu list or a status in one read; a longer file (a QEMU command line) grows it. */
    private static final int FIRST_READ = 4096;

    private KernelFile() {
    }

    /** The whole content of {@code file} as UTF-8 (all of it ASCII in practice). */
    public static String read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(FIRST_READ);
            while (channel.read(buffer) >= 0) {
                if (!buffer.hasRemaining()) {
                    buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
                }
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }
}
