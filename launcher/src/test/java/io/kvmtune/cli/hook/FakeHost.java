package io.kvmtune.cli.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sysfs tree for a host with one NUMA node and {@code cpus} single-thread cores, plus a
 * nova.conf-syntax host configuration: enough for the planner, without depending on how many
 * CPUs the test machine has.
 */
final class FakeHost {

    private FakeHost() {
    }

    /** Writes {@code root/sys/...} and returns the configuration file dedicating {@code dedicated}. */
    static Path write(Path root, int cpus, String dedicated, String shared) throws IOException {
        Path cpuDir = root.resolve("sys/devices/system/cpu");
        Files.createDirectories(cpuDir);
        String all = "0-" + (cpus - 1);
        Files.writeString(cpuDir.resolve("online"), all + "\n");
        Files.writeString(cpuDir.resolve("possible"), all + "\n");
        for (int cpu = 0; cpu < cpus; cpu++) {
            Path topo = Files.createDirectories(cpuDir.resolve("cpu" + cpu + "/topology"));
            Files.writeString(topo.resolve("physical_package_id"), "0\n");
            Files.writeString(topo.resolve("core_id"), cpu + "\n");
            Files.writeString(topo.resolve("thread_siblings_list"), cpu + "\n");
        }
        Path node = Files.createDirectories(root.resolve("sys/devices/system/node/node0"));
        Files.writeString(node.resolve("cpulist"), all + "\n");
        Files.writeString(node.resolve("distance"), "10\n");
        return Files.writeString(root.resolve("kvmtune.conf"),
                "[compute]\ncpu_dedicated_set = " + dedicated + "\ncpu_shared_set = " + shared + "\n");
    }
}
