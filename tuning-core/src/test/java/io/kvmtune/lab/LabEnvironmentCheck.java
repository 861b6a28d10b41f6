package io.kvmtune.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs inside a lab guest (named so that Surefire and Failsafe never pick it up on the host):
 * proves the guest is the machine the lab meant to boot, so that tests passing inside it say
 * something about that kernel. Expectations come as system properties from the host.
 */
class LabEnvironmentCheck {

    @Test
    void bootedTheRequestedKernel() throws IOException {
        String version = Files.readString(Path.of("/proc/version"));
        assertThat(version).contains(System.getProperty("kvmtune.lab.expect.release"));
        boolean rt = Boolean.getBoolean("kvmtune.lab.expect.preemptRt");
        if (rt) {
            assertThat(version).as("PREEMPT_RT kernel").contains("PREEMPT_RT");
        } else {
            assertThat(version).as("non-RT kernel").doesNotContain("PREEMPT_RT");
        }
    }

    @Test
    void cgroupV2WithCpusetAndCpuControllersIsTheOnlyHierarchy() throws IOException {
        assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
                .contains(" /sys/fs/cgroup ")
                .doesNotContain(" - cgroup cgroup ");
        assertThat(Files.readString(Path.of("/sys/fs/cgroup/cgroup.subtree_control")).split("\\s+"))
                .contains("cpuset", "cpu");
    }

    @Test
    void hasTheDeclaredCpusAndNumaNodes() throws IOException {
        assertThat(CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online"))))
                .isEqualTo(CpuSet.parse(System.getProperty("kvmtune.lab.expect.online")));
        String[] nodes = System.getProperty("kvmtune.lab.expect.nodes").split(";");
        for (int i = 0; i < nodes.length; i++) {
            Path cpulist = Path.of("/sys/devices/system/node/node" + i + "/cpulist");
            assertThat(CpuSet.parse(Files.readString(cpulist))).as(cpulist.toString()).isEqualTo(CpuSet.parse(nodes[i]));
        }
    }
}
