package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.apply.SchedSettings;
import io.kvmtune.core.apply.ThreadState;
import io.kvmtune.core.apply.ThreadTarget;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.linux.SchedPolicy;
import org.junit.jupiter.api.Test;

class DriftTest {

    private final ThreadTarget target = new ThreadTarget(new QemuThread(new ThreadIdentity(42, 7), "CPU 2/KVM",
            new ThreadRole.Vcpu(2)), CpuSet.of(3), SchedPolicy.FIFO, 1);

    @Test
    void aThreadAsPlannedHasNoDrift() {
        ThreadState now = new ThreadState(CpuSet.of(3), SchedSettings.normal().with(SchedPolicy.FIFO, 1));
        assertThat(target.isMetBy(now)).as("what the agent's check asks first").isTrue();
        assertThat(Drift.of("web1", target, now, 0).kinds()).isEmpty();
    }

    @Test
    void eachChangedAttributeIsAKindAndTheLineSaysBeforeAndPlanned() {
        ThreadState now = new ThreadState(CpuSet.range(0, 3), SchedSettings.normal());
        assertThat(target.isMetBy(now)).isFalse();
        Drift d = Drift.of("web1", target, now, 0);
        assertThat(d.kinds()).containsExactly("affinity", "policy");
        assertThat(d.describe()).isEqualTo("guest web1 vcpu2 tid 42: affinity 0-3 (planned 3), policy other (planned fifo:1)");
    }

    @Test
    void aPriorityChangeUnderThePlannedPolicyIsAPriorityDrift() {
        ThreadState now = new ThreadState(CpuSet.of(3), SchedSettings.normal().with(SchedPolicy.FIFO, 5));
        assertThat(target.isMetBy(now)).isFalse();
        assertThat(Drift.of("web1", target, now, 0).kinds()).containsExactly("priority");
    }

    @Test
    void theSameStateSeenAgainIsTheSameDrift() {
        ThreadState now = new ThreadState(CpuSet.of(1), SchedSettings.normal().with(SchedPolicy.FIFO, 1));
        Drift first = Drift.of("web1", target, now, 1);
        assertThat(Drift.of("web1", target, now, 2).sameAs(first)).isTrue();
        assertThat(Drift.of("web1", target, new ThreadState(CpuSet.of(2), now.sched()), 3).sameAs(first)).isFalse();
        assertThat(first.sameAs(null)).isFalse();
    }
}
