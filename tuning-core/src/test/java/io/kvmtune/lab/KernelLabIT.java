package io.kvmtune.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel lab: runs kvmtune's integration tests inside throwaway VMs booted from Debian's real
 * kernels, because production realtime hosts run cgroup v2 and often PREEMPT_RT while this
 * machine kind is cgroup-v1-hybrid and not RT. Runs with {@code ./mvnw -B verify} and alone with
 * {@code ./mvnw -B -Pkernel-lab verify}.
 *
 * <p>Each scenario boots one kernel under TCG, runs the chosen test classes with the host's JDK
 * over the read-only shared root, and brings back JUnit XML reports (copied to
 * {@code target/failsafe-reports/kernel-lab-<scenario>}) and a summary. A guest that hangs is
 * killed and reported with its console log.
 */
class KernelLabIT {

    /**
     * The apply tests whose outcome depends on the kernel: cpusets, affinity and scheduling read
     * back through /proc and sched_getattr, exact restore, and the ESRCH and EINVAL paths. The
     * kill-and-restore tests stay on the host (they run in every build): they test kvmtune's own
     * crash recovery, and each starts a child JVM and a QEMU under nested TCG, a minute apiece.
     */
    private static final List<String> APPLY_CORE = List.of(
            "io.kvmtune.core.apply.ApplyQemuIT#appliesARealtimePlanAndRestoresTheExactStateBefore(boolean)",
            "io.kvmtune.core.apply.ApplyQemuIT#aPlanNamingACpuThatDoesNotExistFailsWithEinvalAndRollsBack()",
            "io.kvmtune.core.apply.ApplyQemuIT#qemuKilledMidApplyFailsWithEsrchAndLeavesNothingBehind()");

    /** Thread discovery on the guest kernel's /proc, for the main scenario. */
    private static final List<String> DISCOVERY = List.of("io.kvmtune.core.qemu.QemuDiscoveryIT");

    private static final String ISOLATED_PARTITION_SETUP = """
            cg=/sys/fs/cgroup/kvmtune-lab
            mkdir -p "$cg"
            echo 2-7 > "$cg/cpuset.cpus"
            echo isolated > "$cg/cpuset.cpus.partition"
            cat "$cg/cpuset.cpus.partition" > "$RESULTS/partition.txt"
            echo $$ > "$cg/cgroup.procs"
            """;

    private static KernelLab lab;

    @BeforeAll
    static void openTheLab() throws IOException {
        lab = KernelLab.open();
    }

    @Test
    void standardKernelWithCgroupV2() throws Exception {
        List<String> suite = new ArrayList<>(APPLY_CORE);
        suite.addAll(DISCOVERY);
        run(new LabScenario("cgroup-v2", "amd64", LabMachine.twoSocketSmt(), "", tests(suite)), Duration.ofMinutes(8));
    }

    @Test
    void dedicatedCpusInAnIsolatedCpusetPartition() throws Exception {
        Path results = run(new LabScenario("isolated-partition", "amd64", LabMachine.twoSocketSmt(),
                ISOLATED_PARTITION_SETUP, tests(APPLY_CORE)), Duration.ofMinutes(6));
        assertThat(Files.readString(results.resolve("partition.txt")).strip())
                .as("cpuset.cpus.partition of the lab's partition").isEqualTo("isolated");
    }

    @Test
    void preemptRtKernel() throws Exception {
        run(new LabScenario("preempt-rt", "rt-amd64", LabMachine.twoSocketSmt(), "", tests(APPLY_CORE)),
                Duration.ofMinutes(6));
    }

    /** The lab's own checks, {@code suite}, and any classes the {@code kvmtune.lab.tests} property adds. */
    private static List<String> tests(List<String> suite) {
        List<String> all = new ArrayList<>(KernelLab.LAB_CHECKS);
        all.addAll(suite);
        String extra = System.getProperty("kvmtune.lab.tests", "");
        Arrays.stream(extra.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(all::add);
        return all;
    }

    private static Path run(LabScenario scenario, Duration timeout) throws Exception {
        return lab.run(scenario, timeout);
    }
}
