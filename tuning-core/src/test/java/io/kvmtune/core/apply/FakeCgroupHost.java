package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.qemu.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A fake {@code /proc} and {@code /sys/fs/cgroup} in a temporary directory, laid out as libvirt
 * leaves a guest's threads on this machine kind (cgroup v1, no systemd) or on a systemd cgroup v2
 * host, or as a bare QEMU that nobody put in a group.
 */
public final class FakeCgroupHost {

    /** Where the guest's threads sit. */
    public enum Layout {
        /** Hybrid v1 without systemd: {@code <ctrl>/machine/qemu-1-x.libvirt-qemu/{emulator,vcpuN}}, empty v2 in {@code unified}. */
        V1_LIBVIRT,
        /** Pure v2 with systemd: {@code machine.slice/machine-qemu\x2d1\x2dx.scope/libvirt/{emulator,vcpuN}}. */
        V2_SYSTEMD,
        /** Every thread in the root groups of a v1 host. */
        BARE
    }

    public static final String V1_GUEST = "machine/qemu-1-x.libvirt-qemu";
    public static final String V2_GUEST = "machine.slice/machine-qemu\\x2d1\\x2dx.scope/libvirt";

    private final Path proc;
    private final Path cgroup;
    private final Layout layout;

    public FakeCgroupHost(Path dir, Layout layout, String allCpus) {
        this.proc = dir.resolve("proc");
        this.cgroup = dir.resolve("cgroup");
        this.layout = layout;
        switch (layout) {
            case V1_LIBVIRT, BARE -> {
                mkdir("unified");
                for (String ctrl : List.of("cpuset", "cpu", "cpuacct")) {
                    mkdir(ctrl);
                }
                put("cpuset/cpuset.cpus", allCpus);
                put("cpu/cpu.rt_runtime_us", "950000");
                put("cpu/cpu.rt_period_us", "1000000");
                if (layout == Layout.V1_LIBVIRT) {
                    group("machine", allCpus, "0");
                    group(V1_GUEST, allCpus, "0");
                }
            }
            case V2_SYSTEMD -> {
                put("cgroup.controllers", "cpuset cpu io memory pids");
                put("cpuset.cpus.effective", allCpus);
                for (String g : List.of("machine.slice", "machine.slice/machine-qemu\\x2d1\\x2dx.scope", V2_GUEST)) {
                    put(g + "/cgroup.controllers", "cpuset cpu pids");
                    put(g + "/cpuset.cpus", "");
                }
            }
        }
    }

    private void group(String path, String cpus, String rtRuntime) {
        put("cpuset/" + path + "/cpuset.cpus", cpus);
        put("cpuset/" + path + "/tasks", "");
        put("cpu/" + path + "/cpu.rt_runtime_us", rtRuntime);
        put("cpu/" + path + "/cpu.rt_period_us", "1000000");
        mkdir("cpuacct/" + path);
    }

    /** Adds thread {@code tid} of {@code pid} to libvirt's group {@code leaf} ({@code vcpu0}, {@code emulator}). */
    public FakeCgroupHost thread(int pid, int tid, String leaf, String cpus) {
        String text = switch (layout) {
            case V1_LIBVIRT -> {
                String path = V1_GUEST + "/" + leaf;
                if (!Files.exists(cgroup.resolve("cpuset/" + path))) {
                    group(path, cpus, "0");
                }
                yield "3:cpuset:/" + path + "\n2:cpuacct:/" + path + "\n1:cpu:/" + path + "\n0::/\n";
            }
            case V2_SYSTEMD -> {
                String path = V2_GUEST + "/" + leaf;
                if (!Files.exists(cgroup.resolve(path))) {
                    put(path + "/cgroup.controllers", "cpuset cpu pids");
                    put(path + "/cgroup.type", "threaded");
                    put(path + "/cpuset.cpus", cpus);
                }
                yield "0::/" + path + "\n";
            }
            case BARE -> "3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n";
        };
        Path file = proc.resolve(pid + "/task/" + tid + "/cgroup");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Puts thread {@code tid} of {@code pid} in the guest's own group of a {@link Layout#V1_LIBVIRT}
     * host, where a thread QEMU creates before libvirt placed the process is born.
     */
    public FakeCgroupHost threadInGuestGroup(int pid, int tid) {
        Path file = proc.resolve(pid + "/task/" + tid + "/cgroup");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "3:cpuset:/" + V1_GUEST + "\n2:cpuacct:/" + V1_GUEST + "\n1:cpu:/" + V1_GUEST + "\n0::/\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public CgroupFs fs() {
        return new CgroupFs(new ProcFs(proc), cgroup);
    }

    /** A file's content, relative to the cgroup root. */
    public String read(String relative) {
        try {
            return Files.readString(cgroup.resolve(relative)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void put(String relative, String value) {
        Path file = cgroup.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a group, as libvirt does when its guest stops. */
    public void removeGroup(String relative) {
        try (Stream<Path> files = Files.walk(cgroup.resolve(relative))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every control file and its content: compare two of these to prove a tree is exactly as before. */
    public Map<String, String> files() {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(cgroup)) {
            files.filter(Files::isRegularFile).forEach(p -> all.put(cgroup.relativize(p).toString(), read(cgroup.relativize(p).toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    private void mkdir(String relative) {
        try {
            Files.createDirectories(cgroup.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
