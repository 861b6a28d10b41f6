package io.kvmtune.bench.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.linux.SchedPolicy;
import org.junit.jupiter.api.Test;

class AlternatingPlansTest {

    private static final CpuSet HOST = CpuSet.parse("2,5,7");

    @Test
    void switchingBetweenTheTwoPlansChangesEveryVcpusAffinityAndPolicy() {
        TuningPlan a = AlternatingPlans.REALTIME.plan(32, HOST);
        TuningPlan b = AlternatingPlans.SWAPPED.plan(32, HOST);
        for (int v = 0; v < 32; v++) {
            VcpuPlacement pa = a.vcpus().get(v);
            VcpuPlacement pb = b.vcpus().get(v);
            assertThat(pa.pcpus()).isNotEqualTo(pb.pcpus());
            assertThat(pa.policy()).isEqualTo(SchedPolicy.FIFO);
            assertThat(pb.policy()).isEqualTo(SchedPolicy.OTHER);
            assertThat(HOST.containsAll(pa.pcpus()) && HOST.containsAll(pb.pcpus())).isTrue();
        }
        assertThat(a.vcpus().get(4).pcpus()).isEqualTo(CpuSet.of(5));
        assertThat(b.vcpus().get(4).pcpus()).isEqualTo(CpuSet.of(7));
    }

    @Test
    void floatingIsAFreshQemuAndNoPlanClaimsPcpus() {
        TuningPlan f = AlternatingPlans.FLOATING.plan(4, HOST);
        assertThat(f.vcpus()).allSatisfy(p -> {
            assertThat(p.pcpus()).isEqualTo(HOST);
            assertThat(p.policy()).isEqualTo(SchedPolicy.OTHER);
        });
        for (AlternatingPlans p : AlternatingPlans.values()) {
            TuningPlan plan = p.plan(4, HOST);
            assertThat(plan.claimedPcpus().isEmpty()).as("%s claims nothing", p).isTrue();
            assertThat(plan.emulator().pcpus()).isEqualTo(HOST);
            assertThat(TuningPlan.fromJson(Json.write(plan))).as("%s survives its JSON", p).isEqualTo(plan);
        }
    }

    @Test
    void threadTableListsEachVcpuThreadWithItsPlacement() {
        var threads = java.util.stream.IntStream.range(0, 2).mapToObj(i -> new io.kvmtune.core.qemu.QemuThread(
                new io.kvmtune.core.qemu.ThreadIdentity(100 + i, 7), "CPU " + i + "/KVM",
                new io.kvmtune.core.qemu.ThreadRole.Vcpu(i))).toList();
        assertThat(ComparisonSetup.threadTable(AlternatingPlans.REALTIME.plan(2, HOST), threads))
                .isEqualTo("100 2 fifo 2\n101 5 fifo 2\n");
        assertThat(ComparisonSetup.threadTable(AlternatingPlans.FLOATING.plan(2, HOST), threads))
                .isEqualTo("100 2,5,7 other 0\n101 2,5,7 other 0\n");
    }
}
