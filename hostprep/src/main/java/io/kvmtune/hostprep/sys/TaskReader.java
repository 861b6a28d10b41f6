package io.kvmtune.hostprep.sys;

import io.kvmtune.core.qemu.ProcCgroup;
import io.kvmtune.core.qemu.ProcFormatException;
import io.kvmtune.core.qemu.ProcFs;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the host's tasks through thread discovery's {@link ProcFs}. A task that exits or cannot
 * be read while the host is listed is left out: the inventory describes the tasks that stay.
 */
public final class TaskReader {

    private final ProcFs proc;

    public TaskReader(HostFs fs) {
        this.proc = new ProcFs(fs.resolve("/proc"));
    }

    /** Every thread of every process. */
    public List<TaskInfo> all() {
        List<TaskInfo> tasks = new ArrayList<>();
        for (int pid : proc.pids()) {
            for (int tid : proc.taskIds(pid)) {
                read(pid, tid).ifPresent(tasks::add);
            }
        }
        return tasks;
    }

    /** One thread, or empty when it has exited or its files cannot be read. */
    public Optional<TaskInfo> read(int pid, int tid) {
        try {
            var stat = proc.taskStat(pid, tid);
            var status = proc.taskStatus(pid, tid);
            return stat.isEmpty() || status.isEmpty() ? Optional.empty()
                    : Optional.of(new TaskInfo(pid, stat.get(), status.get().cpusAllowed()));
        } catch (UncheckedIOException | ProcFormatException e) {
            return Optional.empty();
        }
    }

    /** The process's command line joined by spaces; empty when it has exited. */
    public Optional<String> cmdline(int pid) {
        try {
            return proc.cmdline(pid).map(args -> String.join(" ", args));
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The thread's cgroups; empty when it has exited. */
    public List<ProcCgroup> cgroups(int pid, int tid) {
        try {
            return proc.taskCgroups(pid, tid).orElse(List.of());
        } catch (UncheckedIOException | ProcFormatException e) {
            return List.of();
        }
    }
}
