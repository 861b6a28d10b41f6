package io.kvmtune.core.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.DoesNotFitException;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RtBudgetsTest {

    private static final long PERIOD = 1_000_000;
    private static final CgroupGroup ROOT = new CgroupGroup("cpu", "/", false);
    private static final CgroupGroup MACHINE = ROOT.child("machine");
    private static final CgroupGroup GUEST = MACHINE.child("qemu-4-rt1.libvirt-qemu");

    private static RtGroupBudget budget(CgroupGroup g, long runtime, long children) {
        return new RtGroupBudget(g, runtime, PERIOD, children);
    }

    private static RtGroupBudget vcpu(int n, long runtime) {
        return budget(GUEST.child("vcpu" + n), runtime, 0);
    }

    @Test
    void raisesEachAncestorJustEnoughAncestorsFirst() {
        // As observed here: machine has 500000 of the root's 950000, the guest's groups have none.
        List<RtWrite> writes = RtBudgets.allocate(
                List.of(budget(ROOT, 950_000, 500_000), budget(MACHINE, 500_000, 0), budget(GUEST, 0, 0)),
                List.of(vcpu(1, 0), vcpu(2, 0)), OptionalLong.of(300_000));

        assertThat(writes).containsExactly(
                new RtWrite(MACHINE, 500_000, 600_000),
                new RtWrite(GUEST, 0, 600_000),
                new RtWrite(GUEST.child("vcpu1"), 0, 300_000),
                new RtWrite(GUEST.child("vcpu2"), 0, 300_000));
    }

    @Test
    void anAncestorWithRoomIsNotTouched() {
        List<RtWrite> writes = RtBudgets.allocate(
                List.of(budget(ROOT, 950_000, 500_000), budget(MACHINE, 500_000, 100_000), budget(GUEST, 100_000, 0)),
                List.of(vcpu(1, 0)), OptionalLong.of(50_000));

        assertThat(writes).containsExactly(new RtWrite(GUEST.child("vcpu1"), 0, 50_000));
    }

    @Test
    void sharesEverythingFreeAlongTheChainEquallyByDefault() {
        // free: 450000 at the root, 0 in machine, 0 in the guest group, split over 3 leaves
        List<RtWrite> writes = RtBudgets.allocate(
                List.of(budget(ROOT, 950_000, 500_000), budget(MACHINE, 500_000, 500_000), budget(GUEST, 500_000, 500_000)),
                List.of(vcpu(0, 500_000), vcpu(1, 0), vcpu(2, 0), vcpu(3, 0)), OptionalLong.empty());

        assertThat(writes).extracting(RtWrite::toUs).containsExactly(950_000L, 950_000L, 150_000L, 150_000L, 150_000L);
    }

    @Test
    void leavesThatHaveRuntimeKeepItSoAllocatingTwiceChangesNothing() {
        assertThat(RtBudgets.allocate(
                List.of(budget(ROOT, 950_000, 600_000), budget(MACHINE, 600_000, 600_000), budget(GUEST, 600_000, 600_000)),
                List.of(vcpu(1, 300_000), vcpu(2, 300_000)), OptionalLong.empty())).isEmpty();
    }

    @Test
    void refusesMoreThanTheChainCanGiveNamingWhatIsFree() {
        assertThatThrownBy(() -> RtBudgets.allocate(
                List.of(budget(ROOT, 950_000, 900_000), budget(MACHINE, 0, 0), budget(GUEST, 0, 0)),
                List.of(vcpu(1, 0), vcpu(2, 0)), OptionalLong.of(30_000)))
                .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                    assertThat(e.key()).isEqualTo("rt_runtime_us");
                    assertThat(e).hasMessageContaining("only 50000 us are free");
                });
        assertThatThrownBy(() -> RtBudgets.allocate(
                List.of(budget(ROOT, 950_000, 950_000), budget(MACHINE, 0, 0)),
                List.of(budget(MACHINE.child("vcpu1"), 0, 0)), OptionalLong.empty()))
                .isInstanceOf(DoesNotFitException.class).hasMessageContaining("only 0 us are free");
    }

    @Test
    void anUnlimitedRootOffersOnePeriod() {
        assertThat(RtBudgets.allocate(List.of(budget(ROOT, -1, 0), budget(MACHINE, 0, 0)),
                List.of(budget(MACHINE.child("vcpu1"), 0, 0)), OptionalLong.empty()))
                .extracting(RtWrite::toUs).containsExactly(PERIOD, PERIOD);
    }

    @Test
    void refusesGroupsThatAreNotOneChainOrDifferInPeriod() {
        assertThatThrownBy(() -> RtBudgets.allocate(List.of(budget(MACHINE, 0, 0)), List.of(), OptionalLong.empty()))
                .hasMessageContaining("must start at the hierarchy root");
        assertThatThrownBy(() -> RtBudgets.allocate(List.of(budget(ROOT, 950_000, 0), budget(GUEST, 0, 0)),
                List.of(), OptionalLong.empty())).hasMessageContaining("is not a child of");
        assertThatThrownBy(() -> RtBudgets.allocate(List.of(budget(ROOT, 950_000, 0),
                new RtGroupBudget(MACHINE, 0, 500_000, 0)), List.of(), OptionalLong.empty()))
                .hasMessageContaining("one period");
    }
}
