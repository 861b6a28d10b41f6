package io.kvmtune.hostprep.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The host's /proc, /sys, /dev and /etc seen from a root directory: {@code /} on a live host, a
 * fake tree in tests.
 *
 * <p>Callers name files by their host path ({@code /proc/sys/kernel/timer_migration}) so that
 * evidence and backups name the real file whatever the root. A missing file is an ordinary
 * answer (the kernel lacks the feature); any other I/O failure is a {@link HostReadException}
 * naming the file.
 */
public final class HostFs {

    /** Larger than any single kernel attribute or /proc/<pid>/status file. */
    private static final int READ_BUFFER = 64 * 1024;

    private static final HostFs LIVE = new HostFs(Path.of("/"));

    private final Path root;

    private HostFs(Path root) {
        this.root = root;
    }

    /** This host. */
    public static HostFs live() {
        return LIVE;
    }

    /** A tree whose {@code proc}, {@code sys}, ... directories stand for the host's. */
    public static HostFs under(Path root) {
        return new HostFs(Objects.requireNonNull(root, "root").toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    /** True when this is the running host, not a tree standing in for one. */
    public boolean isLive() {
        return root.equals(LIVE.root);
    }

    /** The file that stands for host path {@code hostPath} (which must be absolute). */
    public Path resolve(String hostPath) {
        if (!hostPath.startsWith("/")) {
            throw new IllegalArgumentException("host path must be absolute: " + hostPath);
        }
        return root.resolve(hostPath.substring(1));
    }

    public boolean exists(String hostPath) {
        return Files.exists(resolve(hostPath));
    }

    public boolean isDirectory(String hostPath) {
        return Files.isDirectory(resolve(hostPath));
    }

    /**
     * The file's text without its trailing newline, or empty when the file does not exist.
     *
     * @throws HostReadException when it exists but cannot be read (permission, EIO, a directory)
     */
    public Optional<String> read(String hostPath) {
        return readBytes(hostPath).map(b -> stripNewline(new String(b, StandardCharsets.UTF_8)));
    }

    /** As {@link #read}, for a gzip-compressed file such as {@code /proc/config.gz}. */
    public Optional<String> readGzip(String hostPath) {
        Path file = resolve(hostPath);
        try (var in = new GZIPInputStream(Files.newInputStream(file))) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostReadException(hostPath, e);
        }
    }

    /**
     * The file's bytes, or empty when it does not exist. Read with one large buffer: procfs
     * files report size 0 and sysctl handlers answer a read at a non-zero offset with EOF, so
     * {@code Files.readAllBytes}'s probe of one byte would cut {@code 950000} to {@code 9}.
     */
    public Optional<byte[]> readBytes(String hostPath) {
        try (var in = Files.newInputStream(resolve(hostPath))) {
            byte[] buf = new byte[READ_BUFFER];
            int n = 0;
            while (true) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
            }
            return Optional.of(java.util.Arrays.copyOf(buf, n));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostReadException(hostPath, e);
        }
    }

    /**
     * The names in directory {@code hostPath}, sorted; empty when it does not exist. Entries
     * that vanish while listing (exited tasks) are simply not there.
     */
    public List<String> list(String hostPath) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(resolve(hostPath))) {
            for (Path p : dir) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw new HostReadException(hostPath, e);
        } catch (UncheckedIOException e) {
            throw new HostReadException(hostPath, e.getCause());
        }
        names.sort(null);
        return names;
    }

    /**
     * Writes {@code value} to a kernel file in one {@code write(2)}, as {@code echo} would.
     *
     * @throws IOException as the kernel reported it; {@link KernelWriteErrors} classifies it
     */
    public void write(String hostPath, String value) throws IOException {
        Files.writeString(resolve(hostPath), value, StandardCharsets.UTF_8,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static String stripNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    @Override
    public String toString() {
        return "HostFs[" + root + "]";
    }
}
