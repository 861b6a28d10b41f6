package io.kvmtune.hostprep.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.PreemptModel;
import org.junit.jupiter.api.Test;

class KernelCmdlineTest {

    @Test
    void splitsLikeTheKernelQuotesProtectSpacesAndInitArgumentsAreDropped() {
        KernelCmdline c = KernelCmdline.parse("ro nohz_full=2-7 foo=\"a b\" nosoftlockup -- nohz_full=0 single");
        assertThat(c.params()).containsExactly("ro", "nohz_full=2-7", "foo=a b", "nosoftlockup");
        assertThat(c.cpus("nohz_full")).contains(CpuSet.range(2, 7));
        assertThat(c.has("nosoftlockup")).isTrue();
        assertThat(c.has("single")).isFalse();
    }

    @Test
    void theLastOccurrenceWins() {
        KernelCmdline c = KernelCmdline.parse("skew_tick=0 skew_tick=1");
        assertThat(c.has("skew_tick=1")).isTrue();
        assertThat(c.has("skew_tick=0")).isFalse();
    }

    @Test
    void isolcpusFlagsDefaultToDomainOnlyWithoutFlags() {
        assertThat(IsolCpus.parse("2-7").flags()).containsExactly("domain");
        IsolCpus managed = IsolCpus.parse("managed_irq,domain,2-5,7");
        assertThat(managed.flags()).containsExactly("managed_irq", "domain");
        assertThat(managed.cpus()).isEqualTo(CpuSet.parse("2-5,7"));
        assertThat(IsolCpus.parse("nohz,3").has("domain")).isFalse();
    }

    @Test
    void aBadCpuListNamesTheParameter() {
        assertThatThrownBy(() -> KernelCmdline.parse("rcu_nocbs=2-x").cpus("rcu_nocbs"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).key()).isEqualTo("rcu_nocbs"));
    }

    @Test
    void versionsCompareNumericallyAndPreemptModelsComeFromTheBuildTag() {
        assertThat(KernelVersion.parse("6.12.0-55.el10.x86_64").atLeast(6, 12)).isTrue();
        assertThat(KernelVersion.parse("5.14.0-284.el9").atLeast(6, 1)).isFalse();
        assertThat(KernelVersion.fromProcVersion("Linux version 6.1.0-18-amd64 (x) #1 SMP").minor()).isEqualTo(1);
        assertThat(PreemptModel.fromVersion("#1 SMP PREEMPT_RT Debian")).isEqualTo(PreemptModel.RT);
        assertThat(PreemptModel.fromVersion("#1 SMP PREEMPT_DYNAMIC")).isEqualTo(PreemptModel.DYNAMIC);
        assertThat(PreemptModel.fromVersion("#1 SMP PREEMPT Tue")).isEqualTo(PreemptModel.FULL);
        assertThat(PreemptModel.fromVersion("#1 SMP Tue")).isEqualTo(PreemptModel.NONE_OR_VOLUNTARY);
    }
}
