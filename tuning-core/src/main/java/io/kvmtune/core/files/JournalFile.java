package io.kvmtune.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A file that grows one whole line at a time, the line made durable before {@link #append}
 * returns: what a writer that is about to act must have on record first, when rewriting the whole
 * record would cost more than the act. A writer killed during an append can leave a last line
 * without its newline; readers leave it out, since the append never returned and so nothing that
 * was to follow it happened. Writers take turns by a lock of their own, and one that finds the
 * file longer than the lines it knows of must not append after such a torn line: it rewrites its
 * record whole instead.
 */
public final class JournalFile {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<StandardOpenOption> APPEND = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);

    private JournalFile() {
    }

    /**
     * The complete lines of a journal, and how many bytes of the file they span.
     *
     * @param lines each line without its newline
     * @param bytes the length of the file up to the end of the last complete line
     */
    public record Lines(List<String> lines, long bytes) {

        public static final Lines NONE = new Lines(List.of(), 0);

        public Lines {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Appends {@code line} and a newline in one write, creating the file (readable by its owner
     * only) when missing, and forces it to the disk.
     *
     * @return how many bytes were appended
     * @throws IllegalArgumentException when {@code line} holds a line break
     */
    public static int append(Path file, String line) throws IOException {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a journal line cannot hold a line break");
        }
        ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        int bytes = buffer.remaining();
        try (FileChannel ch = FileChannel.open(file, APPEND, OWNER_ONLY)) {
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(false);
        }
        return bytes;
    }

    /** The complete lines of {@code file}; {@link Lines#NONE} when it does not exist. */
    public static Lines read(Path file) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Lines.NONE;
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                lines.add(new String(content, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return new Lines(lines, start);
    }

    /** The length of {@code file} in bytes, torn last line included; 0 when it does not exist. */
    public static long size(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
