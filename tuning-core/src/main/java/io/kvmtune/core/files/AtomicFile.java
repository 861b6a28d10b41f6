package io.kvmtune.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file so that a process killed at any instruction leaves the old content or the new,
 * never half of either: a temporary file beside it, fsync, rename, fsync of the directory.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /**
     * Writes {@code bytes} to {@code target}, creating its directory (mode 0700) when missing.
     *
     * @throws java.nio.file.AtomicMoveNotSupportedException when the file system cannot rename atomically
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        replace(target, bytes);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * {@link #write} without the fsync of the directory: the new content is on disk before the
     * rename, but a crash of the machine may undo the rename. For files whose old content is as
     * good as none after a reboot, such as state of running processes under {@code /run}.
     *
     * @throws java.nio.file.AtomicMoveNotSupportedException when the file system cannot rename atomically
     */
    public static void replace(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A rename or removal is durable only once its directory is. */
    public static void syncDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }
}
