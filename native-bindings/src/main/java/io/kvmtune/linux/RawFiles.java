package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads whole files and lists directories with {@code openat}, {@code read} or
 * {@code getdents64}, and {@code close}, straight through system calls: for the small files and
 * directories of {@code /proc} and cgroupfs, dozens of which stand between a vCPU thread's birth
 * and its tuning. Through {@code java.nio} a read costs more system calls and objects, a listing
 * a {@code stat} per entry to tell groups from control files, and a file that does not exist an
 * exception, which costs a cold JVM tens of microseconds; here that is an empty result, as is a
 * task that exited while its file was read ({@code ESRCH}). Every call goes through the
 * {@code syscall(2)} stub the scheduling calls share, so reading links no downcall shape of its
 * own (each costs a short-lived JVM, the libvirt hook, tens of milliseconds).
 */
public final class RawFiles {

    /** Enough for a thread's cgroup list, a cpu list or a status in one read; a longer file grows it. */
    private static final int FIRST_READ = 4096;
    /** Enough for a cgroup v1 group's control files and a few dozen children per call. */
    private static final int LISTING_BUFFER = 8192;
    /** {@code struct linux_dirent64}: {@code d_ino} (8), {@code d_off} (8), then these. */
    static final long D_RECLEN = 16;
    static final long D_TYPE = 18;
    static final long D_NAME = 19;
    static final byte DT_UNKNOWN = 0;
    static final byte DT_DIR = 4;

    private RawFiles() {
    }

    /**
     * The whole content of {@code path}, read until end of file; empty when it does not exist or
     * its task has exited.
     *
     * @throws LinuxException for any other failure (EACCES, EISDIR, ...)
     */
    public static Optional<byte[]> read(String path) {
        return read(path, false);
    }

    /**
     * The whole content of {@code path}, a file the kernel makes at once: a regular file, or one
     * of the kernel's files whose content one call of its show function makes whole (the
     * {@code single_open} files of {@code /proc} such as a task's {@code stat}, {@code status} and
     * {@code cgroup}, and the control files of a cgroup but its lists of tasks). A read of such a
     * file that leaves room in the buffer has returned all of it, which saves the read that would
     * only find the end. Not for a file the kernel makes a record at a time ({@code tasks},
     * {@code cgroup.procs}, {@code /proc/<pid>/task/<tid>/children}, {@code mountinfo}): a read of
     * those can stop short of a page where the next record does not fit.
     *
     * @throws LinuxException for any other failure (EACCES, EISDIR, ...)
     */
    public static Optional<byte[]> readAtOnce(String path) {
        return read(path, true);
    }

    private static Optional<byte[]> read(String path, boolean atOnce) {
        return onFile(path, (arena, state, fd) -> {
            long size = FIRST_READ;
            MemorySegment buffer = arena.allocate(size);
            long have = 0;
            while (true) {
                long n = LinuxCalls.read(state, fd, buffer.asSlice(have), size - have);
                if (n == -1) {
                    if (interrupted(state, "read", path)) {
                        continue;
                    }
                    return Optional.empty();
                }
                have += n;
                if (n == 0 || atOnce && have < size) {
                    return Optional.of(buffer.asSlice(0, have).toArray(ValueLayout.JAVA_BYTE));
                }
                if (have == size) {
                    MemorySegment bigger = arena.allocate(size * 2);
                    bigger.copyFrom(buffer);
                    buffer = bigger;
                    size *= 2;
                }
            }
        });
    }

    /**
     * The entries of directory {@code path} (not {@code .} and {@code ..}), in the order the file
     * system gives them; empty when it does not exist.
     *
     * @throws LinuxException for any other failure (ENOTDIR, EACCES, ...)
     */
    public static Optional<List<DirectoryEntry>> entries(String path) {
        return onFile(path, (arena, state, fd) -> {
            MemorySegment buffer = arena.allocate(LISTING_BUFFER);
            List<DirectoryEntry> entries = new ArrayList<>();
            while (true) {
                long n = LinuxCalls.getdents64(state, fd, buffer, LISTING_BUFFER);
                if (n == -1) {
                    if (interrupted(state, "getdents64", path)) {
                        continue;
                    }
                    return Optional.empty();
                }
                if (n == 0) {
                    return Optional.of(entries);
                }
                for (long at = 0; at < n; at += Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT, at + D_RECLEN))) {
                    String name = buffer.getString(at + D_NAME, StandardCharsets.UTF_8);
                    if (!name.equals(".") && !name.equals("..")) {
                        entries.add(new DirectoryEntry(name, type(buffer.get(ValueLayout.JAVA_BYTE, at + D_TYPE))));
                    }
                }
            }
        });
    }

    private static DirectoryEntry.Type type(byte dType) {
        return switch (dType) {
            case DT_DIR -> DirectoryEntry.Type.DIRECTORY;
            case DT_UNKNOWN -> DirectoryEntry.Type.UNKNOWN;
            default -> DirectoryEntry.Type.OTHER;
        };
    }

    /**
     * After {@code call} on {@code path} returned -1: whether it was interrupted (EINTR) and is
     * to be made again; false when the file or its task is gone.
     *
     * @throws LinuxException for any other error
     */
    private static boolean interrupted(MemorySegment callState, String call, String path) {
        int errno = LinuxCalls.errno(callState);
        if (errno == Errno.EINTR.number()) {
            return true;
        }
        if (gone(errno)) {
            return false;
        }
        throw new LinuxException(call, path, errno);
    }

    /** ENOENT: no such file (or its task's directory is gone); ESRCH: its task exited meanwhile. */
    static boolean gone(int errno) {
        return errno == Errno.ENOENT.number() || errno == Errno.ESRCH.number();
    }

    /** One use of a file open for reading. */
    private interface FileCall<T> {
        Optional<T> call(Arena arena, MemorySegment callState, int fd);
    }

    /** Opens {@code path} for reading, runs {@code call} on it and closes it; empty when it is gone. */
    private static <T> Optional<T> onFile(String path, FileCall<T> call) {
        Optional<OpenFile> opened = OpenFile.open(path);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        try (OpenFile file = opened.get(); Arena arena = Arena.ofConfined()) {
            return call.call(arena, LinuxCalls.allocateCallState(arena), file.fd());
        }
    }
}
