package io.kvmtune.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuThreadPolicy;
import io.kvmtune.core.spec.RequestParser;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The placements of issue 17, each with the case it gives and Nova's answer (Nova 26's
 * {@code nova.virt.hardware} run on the same input by {@code nova/nova_decide.py} gave each
 * expected value below): the Nova unit tests it names, then the kinds 7-14 found by running Nova
 * itself beside kvmtune.
 */
class NovaPlacementTest {

    /** One NUMA node, CPUs 0-7, no SMT. */
    private static final String ONE_NODE = "{\"online\": \"0-7\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-7\"}]}";
    /** One NUMA node, 4 cores of two sibling threads numbered next to each other: {0,1}, {2,3}, ... */
    private static final String SMT2 = "{\"online\": \"0-7\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-7\"}],"
            + " \"cores\": [[0, 1], [2, 3], [4, 5], [6, 7]]}";
    /** Two NUMA nodes, 0-3 and 4-7, no SMT. */
    private static final String TWO_NODES = "{\"online\": \"0-7\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-3\"},"
            + " {\"id\": 1, \"cpus\": \"4-7\"}]}";

    private static TuningPlan plan(String topology, String conf, CpuSet claimed, int vcpus, String... flavor) {
        return plan(topology, conf, claimed, vcpus, Map.of(), flavor);
    }

    private static TuningPlan plan(String topology, String conf, CpuSet claimed, int vcpus, Map<String, String> image,
            String... flavor) {
        return DeclaredHostPlans.plan(topology, conf, claimed, vcpus, OptionalLong.empty(), image, flavor);
    }

    private static List<Integer> pinnedPcpus(TuningPlan plan) {
        return plan.vcpus().stream().filter(VcpuPlacement::pinned).map(v -> v.pcpus().first()).toList();
    }

    // ---- the Nova unit tests the issue names ----

    /** Legacy {@code vcpu_pin_set} alone is also where floating guests run (driver._get_vcpu_available). */
    @Test
    void vcpuPinSetAloneServesFloatingAndPinnedGuests_test_get_vcpu_pin_set() {
        String conf = "[DEFAULT]\nvcpu_pin_set = 2-5\n";

        TuningPlan floating = plan(ONE_NODE, conf, CpuSet.empty(), 2);
        TuningPlan pinned = plan(SMT2, conf, CpuSet.empty(), 2, "hw:cpu_policy=dedicated");

        assertThat(floating.vcpus()).allSatisfy(v -> assertThat(v.pcpus()).isEqualTo(CpuSet.range(2, 5)));
        assertThat(pinnedPcpus(pinned)).containsExactly(2, 3);
        assertThat(pinned.reasons()).anySatisfy(r -> assertThat(r.decision()).contains("vcpu_pin_set=2-5"));
    }

    /** No CPU set at all: Nova's legacy fallback pins onto any online CPU of the host cell. */
    @Test
    void withoutCpuSetsPinnedVcpusGetOnlineCpusOfTheirHostCell_test_get_guest_config_numa_host_instance_topo_cpu_pinning() {
        TuningPlan plan = plan(TWO_NODES, "", CpuSet.of(0), 4, "hw:cpu_policy=dedicated", "hw:numa_nodes=2");

        assertThat(pinnedPcpus(plan)).containsExactly(1, 2, 4, 5);
        assertThat(plan.reasons()).anySatisfy(r -> assertThat(r.decision())
                .contains("as Nova's legacy fallback, any online CPU may be pinned"));
    }

    /** Cores with the most free sibling threads first; the emulator pCPU is the first free one left. */
    @Test
    void bothVcpusOnTheFreeCoreAndTheEmulatorOnTheHalfCore_test_asymmetric_host() {
        String host = "{\"online\": \"0-3\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-3\"}], \"cores\": [[0, 1], [2, 3]]}";

        TuningPlan plan = plan(host, "[compute]\ncpu_shared_set = 0\ncpu_dedicated_set = 1-3\n", CpuSet.empty(), 2,
                "hw:cpu_policy=dedicated", "hw:emulator_threads_policy=isolate");

        assertThat(pinnedPcpus(plan)).containsExactly(2, 3);
        assertThat(plan.isolatedEmulatorPcpu()).hasValue(1);
    }

    // ---- kinds 7-14 ----

    /** Kind 7: Nova spreads by default; guest node 0 goes to the cell with the most free dedicated CPUs. */
    @Test
    void kind7_hostNodeChoiceSpreadsByDefaultAndPacksWhenConfigured() {
        TuningPlan spread = plan(TWO_NODES, "[compute]\ncpu_dedicated_set = 0-7\n", CpuSet.of(0, 1), 2,
                "hw:cpu_policy=dedicated");
        TuningPlan packed = plan(TWO_NODES, "[compute]\ncpu_dedicated_set = 0-7\n"
                + "packing_host_numa_cells_allocation_strategy = true\n", CpuSet.of(0, 1), 2, "hw:cpu_policy=dedicated");

        assertThat(pinnedPcpus(spread)).containsExactly(4, 5);
        assertThat(pinnedPcpus(packed)).containsExactly(2, 3);
    }

    /** Kind 8: three floating vCPUs do not fit a node with one shared CPU. */
    @Test
    void kind8_floatingVcpusBeyondANodesSharedCpusDoNotFit() {
        assertThatThrownBy(() -> plan(ONE_NODE, "[compute]\ncpu_shared_set = 0\ncpu_dedicated_set = 1-7\n",
                CpuSet.empty(), 4, "hw:cpu_policy=mixed", "hw:cpu_dedicated_mask=0"))
                .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                    assertThat(e.key()).isEqualTo("cpu_shared_set");
                    assertThat(e.getMessage()).contains("node 0: 7 free, 1 shared");
                });
    }

    /** Kind 9: require takes a whole free core, not the thread beside another guest's. */
    @Test
    void kind9_requireTakesACoreWithFreeSiblings() {
        TuningPlan plan = plan(SMT2, "[compute]\ncpu_dedicated_set = 0-7\n", CpuSet.of(1), 1,
                "hw:cpu_policy=dedicated", "hw:cpu_thread_policy=require");

        assertThat(pinnedPcpus(plan)).containsExactly(2);
    }

    /** Kind 10: with no thread policy the free core {2,3} goes before the half-used core {0,1}. */
    @Test
    void kind10_noPolicyTakesTheFreeCoreFirst() {
        TuningPlan plan = plan(SMT2, "[compute]\ncpu_dedicated_set = 0-7\n", CpuSet.of(1), 2, "hw:cpu_policy=dedicated");

        assertThat(pinnedPcpus(plan)).containsExactly(2, 3);
    }

    /** Kind 11: a flavor's prefer is kept over the image's policy; a stricter flavor policy conflicts. */
    @Test
    void kind11_flavorPreferWinsOverTheImageAndAStricterFlavorConflicts() {
        var preferred = RequestParser.parse(DeclaredHostPlans.specs("hw:cpu_policy=dedicated", "hw:cpu_thread_policy=prefer"),
                Map.of("hw_cpu_thread_policy", "require"), 2, "x86_64", "kvm");

        assertThat(preferred.threadPolicy()).contains(CpuThreadPolicy.PREFER);
        assertThatThrownBy(() -> RequestParser.parse(DeclaredHostPlans.specs("hw:cpu_policy=dedicated", "hw:cpu_thread_policy=isolate"),
                Map.of("hw_cpu_thread_policy", "require"), 2, "x86_64", "kvm"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo("ImageCPUThreadPolicyForbidden"));
    }

    /** Kind 12: guest node 0 has no pinned vCPU to reserve the isolated emulator pCPU beside. */
    @Test
    void kind12_isolatedEmulatorOnAGuestNodeWithoutPinnedVcpusDoesNotFit() {
        assertThatThrownBy(() -> plan(TWO_NODES, "[compute]\ncpu_shared_set = 0,4\ncpu_dedicated_set = 1-3,5-7\n",
                CpuSet.empty(), 2, "hw:cpu_policy=mixed", "hw:numa_nodes=2", "hw:cpu_dedicated_mask=1",
                "hw:emulator_threads_policy=isolate"))
                .isInstanceOf(DoesNotFitException.class);
    }

    /**
     * Kind 13, decided: kvmtune keeps isolate on an SMT host with cpu_dedicated_set, one vCPU per
     * whole core with the siblings held (claimed) idle, as Nova does on vcpu_pin_set hosts, and says
     * in the plan that Nova's scheduler would not place it (docs/nova-differences.md).
     */
    @Test
    void kind13_isolateOnAnSmtHostWithADedicatedSetHoldsTheSiblingsAndSaysItDiffersFromNova() {
        TuningPlan plan = plan(SMT2, "[compute]\ncpu_dedicated_set = 0-7\n", CpuSet.empty(), 2,
                "hw:cpu_policy=dedicated", "hw:cpu_thread_policy=isolate");
        TuningPlan legacy = plan(SMT2, "[DEFAULT]\nvcpu_pin_set = 0-7\n", CpuSet.empty(), 2,
                "hw:cpu_policy=dedicated", "hw:cpu_thread_policy=isolate");

        assertThat(pinnedPcpus(plan)).containsExactly(0, 2);
        assertThat(plan.claimedPcpus()).isEqualTo(CpuSet.range(0, 3));
        assertThat(plan.reasons()).anySatisfy(r -> assertThat(r.decision())
                .startsWith("deliberate difference from Nova: its scheduler keeps isolate guests off SMT hosts"));
        assertThat(pinnedPcpus(legacy)).as("Nova's own answer on a vcpu_pin_set host").containsExactly(0, 2);
        assertThat(legacy.reasons()).noneSatisfy(r -> assertThat(r.decision()).startsWith("deliberate difference"));
    }

    /** Kind 14: Nova schedules (DoesNotFit) before its spawn-time realtime check; bad image policies are InvalidRequest. */
    @Test
    void kind14_doesNotFitComesBeforeTheSpawnCheckAndBadImagePoliciesAreInvalidRequest() {
        String four = "{\"online\": \"0-3\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-3\"}]}";

        assertThatThrownBy(() -> plan(four, "", CpuSet.empty(), 8, "hw:cpu_policy=dedicated", "hw:cpu_realtime=yes",
                "hw:cpu_realtime_mask=^0", "hw:emulator_threads_policy=share"))
                .isInstanceOf(DoesNotFitException.class);
        assertThatThrownBy(() -> plan(four, "", CpuSet.empty(), 2, "hw:cpu_policy=dedicated", "hw:cpu_realtime=yes",
                "hw:cpu_realtime_mask=^0", "hw:emulator_threads_policy=share"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo("RealtimeMaskNotFoundOrInvalid"));
        assertThatThrownBy(() -> plan(four, "", CpuSet.empty(), 2, Map.of("hw_cpu_policy", "exclusive")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("InvalidRequest"));
        assertThatThrownBy(() -> plan(four, "", CpuSet.empty(), 2, Map.of("hw_cpu_thread_policy", "Isolate"),
                "hw:cpu_policy=dedicated"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("InvalidRequest"));
    }
}
