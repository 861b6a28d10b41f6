package io.kvmtune.core.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;

/**
 * Which file a path names and how it last changed: its device and inode, size and modification
 * time, from one {@code stat}. Equal versions of a path, read at two moments, mean its content
 * was not replaced in between: every replacement through {@link AtomicFile} (the way kvmtune
 * writes) renames a new inode into place, and a write in place by anyone else changes the
 * modification time, unless it keeps the size and falls in the same clock tick as the write
 * before (Linux 6.13 and later make that tick fine-grained once the time has been read).
 *
 * @param key the device and inode ({@link BasicFileAttributes#fileKey()})
 * @param size the size in bytes
 * @param modified the modification time
 */
public record FileVersion(Object key, long size, FileTime modified) {

    /** The version of {@code file} now; empty when there is no such file. */
    public static Optional<FileVersion> of(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        return Optional.of(new FileVersion(a.fileKey(), a.size(), a.lastModifiedTime()));
    }

    // Written out rather than generated: a record's own equals and hashCode are bootstrapped
    // through invokedynamic (ObjectMethods) on first use, which the JDK's AOT cache cannot keep,
    // and a cold `kvmtune apply` compares versions of its record: ~10 ms.
    @Override
    public boolean equals(Object o) {
        return o instanceof FileVersion other && Objects.equals(key, other.key) && size == other.size
                && modified.equals(other.modified);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, size, modified);
    }
}
