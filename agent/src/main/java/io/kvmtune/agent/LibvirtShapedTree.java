package io.kvmtune.agent;

import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.qemu.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Plain files laid out as {@code /proc} and a cgroup v1 host with realtime group scheduling show
 * a libvirt guest, for {@link ApplyWarmup}: its applies to the agent's parked threads then take
 * the paths a libvirt guest's take (libvirt's per-thread cpusets, the realtime budget book, the
 * lift of a vCPU born in {@code emulator}) while every cgroup write lands in these files, never
 * in the host's groups. Three guests: in {@link #BORN} libvirt has not made the vCPUs' groups yet;
 * in {@link #PLACED} it has, and the threads sit in them; {@link #PLUGGED} runs with vCPU 0
 * placed and its {@code emulator} cpuset narrowed, and gets vCPU 1 plugged in: born in
 * {@code emulator}, its {@code vcpu1} cpu group held ahead, no {@code vcpu1} cpuset group yet.
 */
final class LibvirtShapedTree {

    static final String BORN = "machine/qemu-1-warmup.libvirt-qemu";
    static final String PLACED = "machine/qemu-2-warmup.libvirt-qemu";
    static final String PLUGGED = "machine/qemu-3-warmup.libvirt-qemu";
    private static final List<String> V1_CONTROLLERS = List.of("cpuset", "cpu", "cpuacct");

    private final Path proc;
    private final Path cgroup;
    private final int pid;

    /** Lays the tree out in {@code dir} for process {@code pid} on the CPUs {@code cpus} (a cpu list). */
    LibvirtShapedTree(Path dir, int pid, String cpus) {
        this.proc = dir.resolve("proc");
        this.cgroup = dir.resolve("cgroup");
        this.pid = pid;
        put("cpuset/cpuset.cpus", cpus);
        put("cpu/cpu.rt_runtime_us", "950000");
        put("cpu/cpu.rt_period_us", "1000000");
        mkdir("cpuacct");
        mkdir("unified");
        group("machine", cpus, false);
        for (String guest : List.of(BORN, PLACED, PLUGGED)) {
            group(guest, cpus, true);
            group(guest + "/emulator", cpus, true);
        }
        group(PLACED + "/vcpu0", cpus, true);
        group(PLACED + "/vcpu1", cpus, true);
        group(PLUGGED + "/vcpu0", cpus, true);
        // in the born and the plugged guest the cpu group of the realtime vCPU is there already
        // (the apply would make it, and a plain directory lacks the files the kernel puts in a new group)
        cpuGroup(BORN + "/vcpu1");
        cpuGroup(PLUGGED + "/vcpu1");
    }

    /** Sets the cpuset of {@code group} (a path below the hierarchy's root) to {@code cpus}, as an apply narrows it. */
    void cpuset(String group, String cpus) {
        put("cpuset/" + group + "/cpuset.cpus", cpus);
    }

    /** {@code /proc} and the cgroup root of the tree. */
    CgroupFs fs() {
        return new CgroupFs(procFs(), cgroup);
    }

    /** The tree's {@code /proc}. */
    ProcFs procFs() {
        return new ProcFs(proc);
    }

    /** Gives the process the command line {@code argv}, as libvirt starts QEMU. */
    void commandLine(List<String> argv) {
        write(proc.resolve(pid + "/cmdline"), String.join("\0", argv) + "\0");
    }

    /** Puts thread {@code tid} into {@code group} (a path below each hierarchy's root) in every v1 hierarchy. */
    void place(int tid, String group) {
        StringBuilder lines = new StringBuilder();
        for (int i = V1_CONTROLLERS.size() - 1; i >= 0; i--) {
            lines.append(i + 1).append(':').append(V1_CONTROLLERS.get(i)).append(":/").append(group).append('\n');
        }
        lines.append("0::/\n");
        write(proc.resolve(pid + "/task/" + tid + "/cgroup"), lines.toString());
    }

    private void group(String path, String cpus, boolean withTasks) {
        put("cpuset/" + path + "/cpuset.cpus", cpus);
        cpuGroup(path);
        mkdir("cpuacct/" + path);
        if (withTasks) {
            put("cpuset/" + path + "/tasks", "");
            put("cpu/" + path + "/tasks", "");
        }
    }

    private void cpuGroup(String path) {
        put("cpu/" + path + "/cpu.rt_runtime_us", "0");
        put("cpu/" + path + "/cpu.rt_period_us", "1000000");
    }

    private void put(String relative, String value) {
        write(cgroup.resolve(relative), value + "\n");
    }

    private void mkdir(String relative) {
        try {
            Files.createDirectories(cgroup.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
