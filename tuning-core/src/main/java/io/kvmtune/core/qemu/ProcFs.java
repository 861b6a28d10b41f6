package io.kvmtune.core.qemu;

import io.kvmtune.core.files.KernelFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads processes and threads from a {@code /proc} tree: the real one, or a fake tree in a test
 * directory.
 *
 * <p>Tasks come and go while they are read. Every reader returns empty when the task is gone
 * (its directory vanished, or the kernel answers ESRCH for a task that exited mid-read), and
 * throws only for what is really wrong: a file that is unreadable for another reason
 * ({@link UncheckedIOException}) or text not in the kernel's format ({@link ProcFormatException}).
 */
public final class ProcFs {

    private final Path root;

    /** A reader of the tree at {@code root} (normally {@code /proc}). */
    public ProcFs(Path root) {
        this.root = root;
    }

    /** The host's {@code /proc}. */
    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    public Path root() {
        return root;
    }

    /** {@code /proc/<pid>/stat}; for a thread id this is the thread's own stat. */
    public Optional<ProcStat> stat(int pid) {
        return read(dir(pid).resolve("stat")).map(s -> ProcStat.parse(s.strip()));
    }

    /**
     * {@code /proc/<tid>/stat} kept open, to re-read the start time of that very task cheaply;
     * empty when the task is gone.
     */
    public Optional<PinnedStat> openStat(int tid) {
        return PinnedStat.open(dir(tid).resolve("stat"));
    }

    /** {@code /proc/<pid>/task/<tid>/stat}. */
    public Optional<ProcStat> taskStat(int pid, int tid) {
        return read(taskDir(pid, tid).resolve("stat")).map(s -> ProcStat.parse(s.strip()));
    }

    /** {@code /proc/<pid>/status}. */
    public Optional<ProcStatus> status(int pid) {
        return read(dir(pid).resolve("status")).map(ProcStatus::parse);
    }

    /** {@code /proc/<pid>/task/<tid>/status}. */
    public Optional<ProcStatus> taskStatus(int pid, int tid) {
        return read(taskDir(pid, tid).resolve("status")).map(ProcStatus::parse);
    }

    /** {@code /proc/<pid>/cgroup}. */
    public Optional<List<ProcCgroup>> cgroups(int pid) {
        return read(dir(pid).resolve("cgroup")).map(ProcCgroup::parseAll);
    }

    /** {@code /proc/<pid>/task/<tid>/cgroup}: threads of one process may sit in different groups. */
    public Optional<List<ProcCgroup>> taskCgroups(int pid, int tid) {
        return read(taskDir(pid, tid).resolve("cgroup")).map(ProcCgroup::parseAll);
    }

    /**
     * {@code /proc/<pid>/cmdline}: the arguments, split at NUL. Empty (an empty list) for kernel
     * threads and zombies.
     */
    public Optional<List<String>> cmdline(int pid) {
        return read(dir(pid).resolve("cmdline")).map(ProcFs::splitNul);
    }

    /**
     * The target of {@code /proc/<pid>/exe}. Empty when the process is gone or has no executable
     * (kernel threads). The kernel appends {@code " (deleted)"} when the binary was replaced, as
     * a package upgrade does under a running QEMU; that suffix is kept.
     */
    public Optional<Path> exe(int pid) {
        try {
            return Optional.of(Files.readSymbolicLink(dir(pid).resolve("exe")));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            if (isGone(e) || !Files.isDirectory(dir(pid))) {
                return Optional.empty();
            }
            throw new UncheckedIOException("cannot read " + dir(pid).resolve("exe") + ": " + e.getMessage(), e);
        }
    }

    /** The ids in {@code /proc/<pid>/task}, ascending; empty when the process is gone. */
    public List<Integer> taskIds(int pid) {
        return numericEntries(dir(pid).resolve("task"));
    }

    /**
     * The children of process {@code pid} ({@code /proc/<pid>/task/<pid>/children}), ascending:
     * exact for a single-threaded process such as kthreadd. Empty when the kernel lacks
     * {@code CONFIG_PROC_CHILDREN} or the process is gone.
     */
    public Optional<List<Integer>> children(int pid) {
        Path file = taskDir(pid, pid).resolve("children");
        return ifPresent(file, () -> KernelFile.read(file)).flatMap(content -> content).map(ProcFs::parseIds);
    }

    /** The ids of every process, ascending. */
    public List<Integer> pids() {
        return numericEntries(root);
    }

    /**
     * Whether the task {@code identity} names still exists and is the same task: its id now
     * belongs to a task with the same start time. False once it exited, even if the kernel has
     * given the id to a new task. One small read; the apply engine calls it after each action.
     */
    public boolean stillSame(ThreadIdentity identity) {
        return startTime(identity.tid()).equals(OptionalLong.of(identity.startTime()));
    }

    /** The start time (field 22 of {@code /proc/<tid>/stat}) of the task {@code tid} names now; empty when none does. */
    public OptionalLong startTime(int tid) {
        try (PinnedStat stat = openStat(tid).orElse(null)) {
            return stat == null ? OptionalLong.empty() : stat.startTime();
        }
    }

    private Path dir(int pid) {
        return root.resolve(Integer.toString(pid));
    }

    private Path taskDir(int pid, int tid) {
        return dir(pid).resolve("task").resolve(Integer.toString(tid));
    }

    private List<Integer> numericEntries(Path directory) {
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.length() <= 10 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    long id = Long.parseLong(name);
                    if (id > 0 && id <= Integer.MAX_VALUE) {
                        ids.add((int) id);
                    }
                }
            }
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            if (isGone(e)) {
                return List.of();
            }
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        ids.sort(null);
        return List.copyOf(ids);
    }

    /**
     * A file of a task that the kernel hands over whole to a read with room for it ({@code stat},
     * {@code status}, {@code cgroup}: one show call each; {@code cmdline}: its read copies all it
     * can), in one read where it fits; {@link #children} is made a record at a time and read to
     * its end.
     */
    private static Optional<String> read(Path file) {
        return ifPresent(file, () -> KernelFile.readAtOnce(file)).flatMap(content -> content);
    }

    private interface FileCall<T> {
        T call() throws IOException;
    }

    /** The result of {@code call} on {@code file}, or empty when the file (its task) does not exist. */
    private static <T> Optional<T> ifPresent(Path file, FileCall<T> call) {
        try {
            return Optional.of(call.call());
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            if (isGone(e) || !Files.isDirectory(file.getParent())) {
                return Optional.empty();
            }
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** ESRCH: the file was opened, then the task exited before or during the read. */
    private static boolean isGone(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("No such process");
    }

    private static List<Integer> parseIds(String text) {
        List<Integer> ids = new ArrayList<>();
        for (String id : text.strip().split(" +")) {
            if (!id.isEmpty()) {
                try {
                    ids.add(Integer.parseInt(id));
                } catch (NumberFormatException e) {
                    throw new ProcFormatException("not a list of process ids: " + text.strip());
                }
            }
        }
        ids.sort(null);
        return List.copyOf(ids);
    }

    private static List<String> splitNul(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        // The kernel terminates every argument with NUL; a process that rewrote its argv may not.
        String body = text.endsWith("\0") ? text.substring(0, text.length() - 1) : text;
        return List.copyOf(Arrays.asList(body.split("\0", -1)));
    }
}
