package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.spec.RequestParser;
import io.kvmtune.core.topology.DeclaredTopology;
import io.kvmtune.core.topology.HostTopology;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's request fitted to hosts of 1, 2, 3 and 16 CPUs, planned by the real planner. */
class DemoSetupTest {

    private static TuningPlan plan(int cpus, CpuSet claimed) {
        HostTopology host = DeclaredTopology.parse("{\"online\": \"0-" + (cpus - 1) + "\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-"
                + (cpus - 1) + "\"}]}");
        DemoSetup setup = DemoSetup.fit(host.online(), claimed);
        return Planner.plan(RequestParser.parse(setup.flavorSpecs(), Map.of(), setup.vcpus(), host.arch(),
                setup.policy().virtType()), setup.policy(), host, claimed);
    }

    @Test
    void onTwoCpusVcpu1GetsCpu1AndRunsFifoVcpu0FloatsOnCpu0() {
        // Nova fits a node's floating vCPUs only onto as many shared CPUs: one here, so one floating vCPU.
        DemoSetup setup = DemoSetup.fit(CpuSet.range(0, 1), CpuSet.empty());
        assertThat(setup.vcpus()).isEqualTo(2);
        assertThat(setup.flavorSpecs()).containsEntry("hw:cpu_policy", "mixed").containsEntry("hw:cpu_realtime_mask", "^0");
        assertThat(setup.why()).contains("leaves 1 CPU (1) for realtime vCPUs: the guest gets 2 vCPUs");
        TuningPlan plan = plan(2, CpuSet.empty());
        assertThat(plan.realtime().orElseThrow().vcpus()).isEqualTo(CpuSet.of(1));
        assertThat(plan.vcpus().get(1).pcpus()).isEqualTo(CpuSet.of(1));
        assertThat(plan.vcpus().get(0).pcpus()).isEqualTo(CpuSet.of(0));
        assertThat(plan.emulator().pcpus()).isEqualTo(CpuSet.of(0));
    }

    @Test
    void onThreeCpusTwoVcpusArePinnedAndRealtime() {
        assertThat(DemoSetup.fit(CpuSet.range(0, 2), CpuSet.empty()).flavorSpecs()).containsEntry("hw:cpu_realtime_mask", "^0");
        assertThat(plan(3, CpuSet.empty()).realtime().orElseThrow().vcpus()).isEqualTo(CpuSet.of(1, 2));
    }

    @Test
    void withFourFreeCpusTheGuestIsDedicatedWithVcpu0ForHousekeeping() {
        DemoSetup setup = DemoSetup.fit(CpuSet.range(0, 15), CpuSet.empty());
        assertThat(setup.flavorSpecs()).containsEntry("hw:cpu_policy", "dedicated").containsEntry("hw:cpu_realtime_mask", "^0");
        TuningPlan plan = plan(16, CpuSet.empty());
        assertThat(plan.realtime().orElseThrow().vcpus()).isEqualTo(CpuSet.range(1, 3));
        assertThat(plan.claimedPcpus()).isEqualTo(CpuSet.range(1, 4));
    }

    @Test
    void cpusClaimedByRealGuestsAreLeftAlone() {
        TuningPlan plan = plan(16, CpuSet.range(1, 12));
        assertThat(plan.claimedPcpus()).isEqualTo(CpuSet.range(13, 15));
    }

    @Test
    void aSingleCpuHostGetsNoRealtimeAndSaysWhy() {
        DemoSetup setup = DemoSetup.fit(CpuSet.of(0), CpuSet.empty());
        assertThat(setup.realtime()).isFalse();
        assertThat(setup.why()).contains("single CPU");
        assertThat(plan(1, CpuSet.empty()).realtime()).isEmpty();
    }

    @Test
    void qemuIsInstalledOnlyAsRootOnDebianElseTheOperatorIsToldWhat() {
        assertThat(QemuInstaller.decide(true, false, false)).isEqualTo(QemuInstaller.Action.NOTHING);
        assertThat(QemuInstaller.decide(false, true, true)).isEqualTo(QemuInstaller.Action.INSTALL);
        assertThat(QemuInstaller.decide(false, false, true)).isEqualTo(QemuInstaller.Action.TELL);
        assertThat(QemuInstaller.decide(false, true, false)).isEqualTo(QemuInstaller.Action.TELL);
        assertThat(QemuInstaller.instructions(true)).contains("apt-get install qemu-system-x86");
        assertThat(QemuInstaller.instructions(false)).contains("qemu-system-x86-core").contains("qemu-kvm");
    }
}
