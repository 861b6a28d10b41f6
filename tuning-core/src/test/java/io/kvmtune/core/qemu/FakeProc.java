package io.kvmtune.core.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fake {@code /proc} tree in a test directory, written in the kernel's formats, for unit tests
 * of the readers and of discovery. Shared with other modules' tests through the test jar.
 */
public final class FakeProc {

    private final Path root;

    public FakeProc(Path root) {
        this.root = root;
    }

    public ProcFs procFs() {
        return new ProcFs(root);
    }

    public Path root() {
        return root;
    }

    /** A stat line with the given fields and plausible values elsewhere; 52 fields as Linux 6.x writes. */
    public static String statLine(int pid, String comm, char state, int ppid, long flags, long startTime,
            int processor, int rtPriority, int policy) {
        StringBuilder s = new StringBuilder();
        s.append(pid).append(" (").append(comm).append(") ").append(state).append(' ').append(ppid);
        // fields 5..8: pgrp session tty_nr tpgid; 9: flags
        s.append(" 1 1 0 -1 ").append(flags);
        // fields 10..21: minflt cminflt majflt cmajflt utime stime cutime cstime priority nice num_threads itrealvalue
        s.append(" 10 0 0 0 3 4 0 0 20 0 1 0");
        s.append(' ').append(startTime);
        // fields 23..38: vsize rss rsslim startcode endcode startstack kstkesp kstkeip signal blocked sigignore
        // sigcatch wchan nswap cnswap exit_signal
        s.append(" 666132480 5061 18446744073709551615 1 1 1 0 0 0 0 4096 16963 0 0 0 17");
        s.append(' ').append(processor).append(' ').append(rtPriority).append(' ').append(policy);
        // fields 42..52
        s.append(" 0 0 0 1 2 3 4 5 6 0");
        return s.toString();
    }

    /** A user-space process with its main thread. */
    public FakeProc process(int pid, String comm, long startTime, String exe, List<String> cmdline) {
        Path dir = root.resolve(Integer.toString(pid));
        write(dir.resolve("stat"), statLine(pid, comm, 'S', 1, 0x400040L, startTime, 0, 0, 0) + "\n");
        write(dir.resolve("status"), status(pid, "0-3", true));
        write(dir.resolve("cmdline"), String.join("\0", cmdline) + (cmdline.isEmpty() ? "" : "\0"));
        write(dir.resolve("cgroup"), "1:cpu:/\n0::/\n");
        try {
            Files.createSymbolicLink(dir.resolve("exe"), Path.of(exe));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return thread(pid, pid, comm, startTime);
    }

    /** A thread of process {@code pid}, visible as {@code task/<tid>} and as {@code /proc/<tid>}. */
    public FakeProc thread(int pid, int tid, String comm, long startTime) {
        String stat = statLine(tid, comm, 'S', 1, 0x400040L, startTime, 1, 0, 0) + "\n";
        Path task = root.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid));
        write(task.resolve("stat"), stat);
        write(task.resolve("status"), status(pid, "0-3", true));
        if (tid != pid) {
            write(root.resolve(Integer.toString(tid)).resolve("stat"), stat);
            write(root.resolve(Integer.toString(tid)).resolve("status"), status(pid, "0-3", true));
        }
        return this;
    }

    /** A thread directory whose files are gone, as when a thread exits between listing and reading. */
    public FakeProc vanishedThread(int pid, int tid) {
        try {
            Files.createDirectories(root.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A kernel thread (child of kthreadd, PF_KTHREAD), such as {@code kvm-pit/<pid>}. */
    public FakeProc kernelThread(int pid, String comm, long startTime) {
        Path dir = root.resolve(Integer.toString(pid));
        write(dir.resolve("stat"), statLine(pid, comm, 'S', 2, ProcStat.PF_KTHREAD | 0x40L, startTime, 0, 0, 0) + "\n");
        write(dir.resolve("status"), status(pid, "0-3", false));
        write(dir.resolve("cmdline"), "");
        return this;
    }

    public FakeProc file(String relative, String text) {
        write(root.resolve(relative), text);
        return this;
    }

    private static String status(int tgid, String cpus, boolean userSpace) {
        return "Name:\tx\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t" + tgid + "\nNgid:\t0\nPid:\t" + tgid + "\n"
                + (userSpace ? "VmPeak:\t  650520 kB\nVmLck:\t       0 kB\n" : "")
                + "Threads:\t1\nCpus_allowed:\tf\nCpus_allowed_list:\t" + cpus + "\nMems_allowed_list:\t0\n";
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
