package io.kvmtune.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that a process killed at any instruction leaves the old content or the new,
 * never half of either: a temporary file beside it, fsync, rename, fsync of the directory.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /** Who may read a file {@link #write} creates, and enter a directory it creates for it. */
    public enum Readers {
        /** Mode 0600 in a directory of mode 0700: records of what was changed on the host. */
        OWNER("rw-------", "rwx------"),
        /** Mode 0644 in a directory of mode 0755: files other users' commands read, such as the claims ledger. */
        EVERYONE("rw-r--r--", "rwxr-xr-x");

        private final FileAttribute<Set<PosixFilePermission>> file;
        private final FileAttribute<Set<PosixFilePermission>> directory;

        Readers(String file, String directory) {
            this.file = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(file));
            this.directory = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(directory));
        }
    }

    /**
     * Writes {@code bytes} to {@code target}, readable by its owner only, creating its directory
     * (mode 0700) when missing.
     *
     * @throws java.nio.file.AtomicMoveNotSupportedException when the file system cannot rename atomically
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, Readers.OWNER);
    }

    /**
     * Writes {@code bytes} to {@code target}, creating its directory when missing; the modes of
     * both (less the umask) come from {@code readers}.
     *
     * @throws java.nio.file.AtomicMoveNotSupportedException when the file system cannot rename atomically
     */
    public static void write(Path target, byte[] bytes, Readers readers) throws IOException {
        replace(target, bytes, readers);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * {@link #write} without the fsync of the directory: the new content is on disk before the
     * rename, but a crash of the machine may undo the rename. For files whose old content is as
     * good as none after a reboot, such as state of running processes under {@code /run}.
     *
     * @return the version of the file written, read before the rename: the file at {@code target}
     *     is still this content for as long as it has this version, whoever replaces it later
     * @throws java.nio.file.AtomicMoveNotSupportedException when the file system cannot rename atomically
     */
    public static FileVersion replace(Path target, byte[] bytes) throws IOException {
        return replace(target, bytes, Readers.OWNER);
    }

    private static FileVersion replace(Path target, byte[] bytes, Readers readers) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + "-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().threadId() + "-" + System.nanoTime() + ".tmp");
        try {
            try (FileChannel ch = createNew(temp, readers)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            FileVersion version = FileVersion.of(temp).orElseThrow(() -> new NoSuchFileException(temp.toString(),
                    null, "removed by another process before it was renamed into place"));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return version;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Creates the temporary file, never opening one that exists. Its name is unique by process,
     * thread and clock already; it is not drawn at random as {@link Files#createTempFile} does,
     * because seeding SecureRandom costs a short-lived command (the libvirt hook writes through
     * here) tens of milliseconds. The directory is created when the file cannot be for want of
     * it, not checked before every write: that would cost two system calls each time.
     */
    private static FileChannel createNew(Path temp, Readers readers) throws IOException {
        Set<StandardOpenOption> create = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(temp, create, readers.file);
        } catch (NoSuchFileException noDirectory) {
            Files.createDirectories(temp.getParent(), readers.directory);
        } catch (FileAlreadyExistsException leftOver) {
            // a temporary file a killed writer left under the same name: it was never renamed, so it is garbage
            Files.delete(temp);
        }
        return FileChannel.open(temp, create, readers.file);
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
