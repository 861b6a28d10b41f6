package io.kvmtune.cli.hook;

import io.kvmtune.core.cpu.CpuSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A thread's placement as /proc shows it, read without kvmtune's own parsers or bindings:
 * {@code Cpus_allowed_list} from {@code status}, the scheduling policy and realtime priority
 * from fields 41 and 40 of {@code stat}.
 */
public record TaskState(int tid, String comm, CpuSet cpusAllowed, int policy, int rtPriority) {

    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;

    /** Every thread of process {@code pid}. */
    public static List<TaskState> all(int pid) throws IOException {
        List<TaskState> tasks = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : dirs.sorted().toList()) {
                tasks.add(of(task));
            }
        }
        return tasks;
    }

    private static TaskState of(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        // Fields after the ")" that ends comm start at field 3 (state).
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String cpus = Files.readAllLines(task.resolve("status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                .findFirst().orElseThrow().substring("Cpus_allowed_list:".length()).strip();
        return new TaskState(Integer.parseInt(task.getFileName().toString()), Files.readString(task.resolve("comm")).strip(),
                CpuSet.parse(cpus), Integer.parseInt(rest[41 - 3]), Integer.parseInt(rest[40 - 3]));
    }
}
