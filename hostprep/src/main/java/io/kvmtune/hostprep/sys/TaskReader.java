package io.kvmtune.hostprep.sys;

import io.kvmtune.core.KvmtuneException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the host's tasks from {@code /proc}. Tasks exit while they are being read; one that
 * vanishes is left out rather than reported as an error.
 */
public final class TaskReader {

    private final HostFs fs;

    public TaskReader(HostFs fs) {
        this.fs = fs;
    }

    /** The process ids in {@code /proc}, ascending. */
    public List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        for (String name : fs.list("/proc")) {
            if (isNumber(name)) {
                pids.add(Integer.parseInt(name));
            }
        }
        pids.sort(null);
        return pids;
    }

    /** Every thread of every process. */
    public List<TaskInfo> all() {
        List<TaskInfo> tasks = new ArrayList<>();
        for (int pid : pids()) {
            tasks.addAll(threads(pid));
        }
        return tasks;
    }

    /** The threads of {@code pid}, ascending by tid; empty when it has exited. */
    public List<TaskInfo> threads(int pid) {
        List<TaskInfo> tasks = new ArrayList<>();
        for (String name : fs.list("/proc/" + pid + "/task")) {
            if (isNumber(name)) {
                read(pid, Integer.parseInt(name)).ifPresent(tasks::add);
            }
        }
        tasks.sort((a, b) -> Integer.compare(a.tid(), b.tid()));
        return tasks;
    }

    /** One thread, or empty when it has exited or its files cannot be parsed. */
    public Optional<TaskInfo> read(int pid, int tid) {
        String dir = "/proc/" + pid + "/task/" + tid;
        try {
            Optional<String> stat = fs.read(dir + "/stat");
            Optional<String> status = fs.read(dir + "/status");
            if (stat.isEmpty() || status.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(parse(pid, tid, stat.get(), status.get()));
        } catch (HostReadException | IllegalArgumentException | KvmtuneException e) {
            // ESRCH while reading, or a task caught half-torn-down: it is gone for our purposes.
            return Optional.empty();
        }
    }

    /** The process's command line, NUL separators turned into spaces; empty when it has exited. */
    public Optional<String> cmdline(int pid) {
        try {
            return fs.readBytes("/proc/" + pid + "/cmdline")
                    .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (HostReadException e) {
            return Optional.empty();
        }
    }

    /** The lines of {@code /proc/<pid>/task/<tid>/cgroup}; empty when it has exited. */
    public List<String> cgroups(int pid, int tid) {
        try {
            return fs.read("/proc/" + pid + "/task/" + tid + "/cgroup").map(s -> s.lines().toList()).orElse(List.of());
        } catch (HostReadException e) {
            return List.of();
        }
    }

    static TaskInfo parse(int pid, int tid, String stat, String status) {
        // comm may itself contain spaces and parentheses: it runs from the first '(' to the last ')'.
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("stat of task " + tid + " has no (comm)");
        }
        String comm = stat.substring(open + 1, close);
        String[] f = stat.substring(close + 2).strip().split(" +");
        // f[0] is field 3 (state), so field n is f[n - 3].
        long flags = Long.parseLong(field(f, 9));
        long start = Long.parseLong(field(f, 22));
        int lastCpu = Integer.parseInt(field(f, 39));
        int rtPrio = Integer.parseInt(field(f, 40));
        int policy = Integer.parseInt(field(f, 41));
        CpuSet allowed = status.lines()
                .filter(l -> l.startsWith("Cpus_allowed_list:"))
                .findFirst()
                .map(l -> CpuSet.parse(l.substring("Cpus_allowed_list:".length())))
                .orElseThrow(() -> new IllegalArgumentException("status of task " + tid + " has no Cpus_allowed_list"));
        return new TaskInfo(pid, tid, comm, flags, start, lastCpu, rtPrio, policy, allowed);
    }

    private static String field(String[] f, int n) {
        if (f.length <= n - 3) {
            throw new IllegalArgumentException("stat has no field " + n);
        }
        return f[n - 3];
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
