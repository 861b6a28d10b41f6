package io.kvmtune.core.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the files kvmtune takes advisory locks on (a guest's apply lock, the realtime budget
 * book's), creating the file, and its directory only when the open fails for want of it.
 * {@link Files#createDirectories} on a directory that exists throws and catches an exception
 * inside the JDK, which costs a cold JVM tens of microseconds on the way to tune a vCPU just born.
 */
public final class LockFile {

    private LockFile() {
    }

    /** A channel open for writing on {@code file}, made empty where absent, ready to lock. */
    public static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (NoSuchFileException noDirectory) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
    }
}
