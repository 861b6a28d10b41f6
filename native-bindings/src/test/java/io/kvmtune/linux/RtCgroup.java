package io.kvmtune.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The cgroup-v1 cpu controller group of a thread, where a kernel built with
 * CONFIG_RT_GROUP_SCHED keeps the real-time budget ({@code cpu.rt_runtime_us}): a thread in a
 * group whose budget is 0 cannot be made SCHED_FIFO or SCHED_RR, even by root (EPERM).
 */
final class RtCgroup {

    private static final List<Path> MOUNTS = List.of(Path.of("/sys/fs/cgroup/cpu"), Path.of("/sys/fs/cgroup/cpu,cpuacct"));

    private RtCgroup() {
    }

    /** The thread's cpu-controller directory, if cgroup v1 with RT group scheduling is mounted. */
    static Optional<Path> of(int tid) throws IOException {
        Optional<Path> root = MOUNTS.stream().filter(m -> Files.exists(m.resolve("cpu.rt_runtime_us"))).findFirst();
        if (root.isEmpty()) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(tid), "cgroup"))) {
            String[] parts = line.split(":", 3);
            if (List.of(parts[1].split(",")).contains("cpu")) {
                return Optional.of(root.get().resolve(parts[2].substring(1)));
            }
        }
        return Optional.empty();
    }

    /** The group's real-time budget per period, in microseconds (-1: unlimited). */
    static long rtRuntimeUs(Path group) throws IOException {
        return Long.parseLong(Files.readString(group.resolve("cpu.rt_runtime_us")).strip());
    }

    /** Moves thread {@code tid} into {@code group} (cgroup v1 moves single threads through "tasks"). */
    static void move(int tid, Path group) throws IOException {
        Files.writeString(group.resolve("tasks"), Integer.toString(tid));
    }
}
