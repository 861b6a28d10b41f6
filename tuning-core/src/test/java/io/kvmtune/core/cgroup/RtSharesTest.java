package io.kvmtune.core.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.DoesNotFitException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RtSharesTest {

    private static final long PERIOD = 1_000_000;
    private static final CgroupGroup ROOT = new CgroupGroup("cpu", "/", false);
    private static final CgroupGroup MACHINE = ROOT.child("machine");
    private static final CgroupGroup A = MACHINE.child("qemu-4-a.libvirt-qemu");
    private static final CgroupGroup B = MACHINE.child("qemu-5-b.libvirt-qemu");

    private static RtGroupBudget budget(CgroupGroup g, long runtime, long children) {
        return new RtGroupBudget(g, runtime, PERIOD, children);
    }

    private static Map<CgroupGroup, RtGroupBudget> managed(RtGroupBudget... budgets) {
        Map<CgroupGroup, RtGroupBudget> m = new LinkedHashMap<>();
        for (RtGroupBudget b : budgets) {
            m.put(b.group(), b);
        }
        return m;
    }

    private static Map<CgroupGroup, Long> current(Map<CgroupGroup, RtGroupBudget> managed) {
        Map<CgroupGroup, Long> m = new HashMap<>();
        managed.forEach((g, b) -> m.put(g, b.runtimeUs()));
        return m;
    }

    @Test
    void raisesEachAncestorJustEnoughAncestorsFirstKeepingWhatOthersHold() {
        // machine has 500000 of the root's 950000 (someone else's), the guest's groups have none.
        var groups = managed(budget(MACHINE, 500_000, 0), budget(A, 0, 0), budget(A.child("vcpu1"), 0, 0),
                budget(A.child("vcpu2"), 0, 0));
        RtShares.Shares shares = RtShares.share(budget(ROOT, 950_000, 500_000), groups,
                Set.of(A.child("vcpu1"), A.child("vcpu2")), Map.of(), OptionalLong.of(300_000));

        assertThat(RtShares.ordered(shares.targets(), current(groups))).containsExactly(
                new RtWrite(MACHINE, 500_000, 600_000),
                new RtWrite(A, 0, 600_000),
                new RtWrite(A.child("vcpu1"), 0, 300_000),
                new RtWrite(A.child("vcpu2"), 0, 300_000));
    }

    @Test
    void sharesAllTheRootAllowsEquallyAndAnUnlimitedRootOffersOnePeriod() {
        var three = managed(budget(MACHINE, 0, 0), budget(A, 0, 0), budget(A.child("vcpu1"), 0, 0),
                budget(A.child("vcpu2"), 0, 0), budget(A.child("vcpu3"), 0, 0));
        RtShares.Shares shares = RtShares.share(budget(ROOT, 950_000, 0), three,
                Set.of(A.child("vcpu1"), A.child("vcpu2"), A.child("vcpu3")), Map.of(), OptionalLong.empty());
        assertThat(shares.perLeafUs()).isEqualTo(316_666);
        assertThat(shares.targets()).containsEntry(MACHINE, 949_998L).containsEntry(A, 949_998L);

        var one = managed(budget(MACHINE, 0, 0), budget(MACHINE.child("vcpu1"), 0, 0));
        assertThat(RtShares.share(budget(ROOT, -1, 0), one, Set.of(MACHINE.child("vcpu1")), Map.of(),
                OptionalLong.empty()).targets()).containsEntry(MACHINE, PERIOD).containsEntry(MACHINE.child("vcpu1"), PERIOD);
    }

    @Test
    void aSecondGuestHalvesTheFirstOnesShareLoweringItFirst() {
        // Guest A holds everything; B's vCPU group starts with none. A's groups were 0 before kvmtune.
        var groups = managed(budget(MACHINE, 950_000, 950_000), budget(A, 950_000, 950_000),
                budget(A.child("vcpu1"), 950_000, 0), budget(B, 0, 0), budget(B.child("vcpu1"), 0, 0));
        RtShares.Shares shares = RtShares.share(budget(ROOT, 950_000, 950_000), groups,
                Set.of(A.child("vcpu1"), B.child("vcpu1")), Map.of(MACHINE, 0L, A, 0L, A.child("vcpu1"), 0L),
                OptionalLong.empty());

        assertThat(shares.perLeafUs()).isEqualTo(475_000);
        assertThat(RtShares.ordered(shares.targets(), current(groups))).containsExactly(
                new RtWrite(A.child("vcpu1"), 950_000, 475_000),
                new RtWrite(A, 950_000, 475_000),
                new RtWrite(B, 0, 475_000),
                new RtWrite(B.child("vcpu1"), 0, 475_000));
    }

    @Test
    void refusesWhenOthersHoldEverythingNamingWhatTheyHold() {
        var groups = managed(budget(MACHINE, 0, 0), budget(A, 0, 0), budget(A.child("vcpu1"), 0, 0));
        assertThatThrownBy(() -> RtShares.share(budget(ROOT, 950_000, 950_000), groups, Set.of(A.child("vcpu1")),
                Map.of(), OptionalLong.empty()))
                .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                    assertThat(e.key()).isEqualTo("rt_runtime_us");
                    assertThat(e).hasMessageContaining("other groups hold 950000 us");
                });
        assertThatThrownBy(() -> RtShares.share(budget(ROOT, 950_000, 900_000), groups, Set.of(A.child("vcpu1")),
                Map.of(), OptionalLong.of(60_000))).isInstanceOf(DoesNotFitException.class);
    }

    @Test
    void refusesGroupsWhoseParentIsNotManagedOrWhosePeriodDiffers() {
        assertThatThrownBy(() -> RtShares.share(budget(ROOT, 950_000, 0), managed(budget(A, 0, 0)), Set.of(A),
                Map.of(), OptionalLong.empty())).hasMessageContaining("its parent");
        assertThatThrownBy(() -> RtShares.share(budget(ROOT, 950_000, 0),
                managed(new RtGroupBudget(MACHINE, 0, 500_000, 0)), Set.of(MACHINE), Map.of(), OptionalLong.empty()))
                .hasMessageContaining("one period");
    }

    @Test
    void givingBackLowersDeepestFirst() {
        assertThat(RtShares.ordered(Map.of(MACHINE, 0L, A, 0L, A.child("vcpu1"), 0L),
                Map.of(MACHINE, 950_000L, A, 950_000L, A.child("vcpu1"), 950_000L))).extracting(RtWrite::group)
                .containsExactly(A.child("vcpu1"), A, MACHINE);
    }
}
