package io.kvmtune.core.files;

import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.RawFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the small files of {@code /proc} and cgroupfs in as few system calls as possible: open,
 * read until end of file, close ({@link RawFiles}). {@link java.nio.file.Files#readAllBytes}
 * sizes its buffer by a {@code fstat} first and, as these files report size 0, then probes with
 * a one-byte read: six calls for a file of a few hundred bytes, where four do, and three for a
 * file the kernel makes at once ({@link #readAtOnce}); and it reports a
 * missing file (a thread that has exited, a group not made yet) by an exception, which costs a
 * cold JVM tens of microseconds. An apply reads a dozen such files before a vCPU born a moment
 * ago gets its pCPU and policy, so what is saved shortens its untuned window.
 */
public final class KernelFile {

    private KernelFile() {
    }

    /**
     * The whole content of {@code file} as UTF-8 (all of it ASCII in practice); empty when it
     * does not exist or its task has exited.
     *
     * @throws IOException when it exists and cannot be read, with the kernel's reason
     */
    public static Optional<String> read(Path file) throws IOException {
        return read(file, RawFiles::read);
    }

    /**
     * {@link #read} for a file the kernel makes at once ({@link RawFiles#readAtOnce}: a task's
     * {@code stat} or {@code cgroup}, a cgroup's control files but its task lists): one
     * {@code read} where it fits, not a second to find the end.
     */
    public static Optional<String> readAtOnce(Path file) throws IOException {
        return read(file, RawFiles::readAtOnce);
    }

    private static Optional<String> read(Path file, Function<String, Optional<byte[]>> how) throws IOException {
        try {
            return how.apply(file.toString()).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        } catch (LinuxException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
