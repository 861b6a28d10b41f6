package io.kvmtune.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.spec.HostConfigReader;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.RequestParser;
import io.kvmtune.core.topology.Core;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.NumaNode;
import io.kvmtune.core.topology.SysfsTopologyReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs inside the lab's two-socket, two-node, SMT guest ({@code -smp 8,sockets=2,cores=2,threads=2},
 * nodes 0-3 and 4-7): the topology kvmtune reads from a real kernel's sysfs is the declared one,
 * and the planner's NUMA and sibling decisions on it are the ones Nova's rules ask for.
 */
class LabTopologyCheck {

    /** cpu_shared_set 0-1 on node 0 for housekeeping; everything else dedicated. */
    private static final String NOVA_CONF = """
            [compute]
            cpu_shared_set = 0-1
            cpu_dedicated_set = 2-7
            """;

    private static HostTopology topology;
    private static Planner planner;

    @BeforeAll
    static void readTheGuestsTopology() {
        topology = SysfsTopologyReader.readHost();
        HostPolicy host = HostConfigReader.parse(NOVA_CONF, "lab nova.conf", topology.online());
        planner = Planner.forHost(host, topology);
    }

    @Test
    void sysfsShowsTwoNodesOfTwoCoresWithTwoThreadsEach() {
        assertThat(topology.online()).isEqualTo(CpuSet.range(0, 7));
        assertThat(topology.nodes()).extracting(NumaNode::id, NumaNode::cpus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, CpuSet.range(0, 3)),
                        org.assertj.core.groups.Tuple.tuple(1, CpuSet.range(4, 7)));
        assertThat(topology.nodes().get(0).distances()).containsExactly(10, 20);
        assertThat(topology.hasSmt()).isTrue();
        assertThat(topology.cores()).extracting(Core::threads).containsExactly(
                CpuSet.of(0, 1), CpuSet.of(2, 3), CpuSet.of(4, 5), CpuSet.of(6, 7));
        assertThat(topology.cores()).extracting(Core::packageId).containsExactly(0, 0, 1, 1);
    }

    @Test
    void fourDedicatedVcpusLandOnTheOneNodeWithFourFreePcpusFillingSiblings() {
        TuningPlan plan = plan(4, Map.of("hw:cpu_policy", "dedicated", "hw:cpu_thread_policy", "prefer"));
        assertThat(pinned(plan)).isEqualTo(CpuSet.range(4, 7));
    }

    @Test
    void twoNumaNodesSplitTheVcpusEvenlyAcrossTheHostNodes() {
        TuningPlan plan = plan(4, Map.of("hw:cpu_policy", "dedicated", "hw:numa_nodes", "2"));
        CpuSet pcpus = pinned(plan);
        assertThat(pcpus.intersect(CpuSet.range(0, 3)).size()).isEqualTo(2);
        assertThat(pcpus.intersect(CpuSet.range(4, 7)).size()).isEqualTo(2);
    }

    @Test
    void isolateThreadPolicyGivesEachVcpuAWholeCoreAndReservesItsSibling() {
        TuningPlan plan = plan(2, Map.of("hw:cpu_policy", "dedicated", "hw:cpu_thread_policy", "isolate"));
        CpuSet pcpus = pinned(plan);
        for (Core core : topology.cores()) {
            assertThat(core.threads().intersect(pcpus).size()).as("vCPUs on core %s", core.threads()).isLessThanOrEqualTo(1);
            if (core.threads().intersects(pcpus)) {
                assertThat(plan.reservedPcpus().union(pcpus).containsAll(core.threads())).isTrue();
            }
        }
        assertThat(plan.claimedPcpus().size()).isEqualTo(4);
    }

    @Test
    void realtimeGuestKeepsEmulatorThreadsOnTheNonRealtimeVcpuAndOffTheSharedHousekeepingCpus() {
        TuningPlan plan = plan(4, Map.of("hw:cpu_policy", "dedicated", "hw:cpu_realtime", "yes",
                "hw:cpu_realtime_mask", "^0"));
        assertThat(plan.emulator().pcpus()).isEqualTo(plan.vcpus().get(0).pcpus());
        assertThat(plan.realtime().orElseThrow().vcpus()).isEqualTo(CpuSet.range(1, 3));
    }

    private static TuningPlan plan(int vcpus, Map<String, String> flavor) {
        return planner.plan(RequestParser.parse(flavor, Map.of(), vcpus, topology.arch(), "kvm"), CpuSet.empty());
    }

    private static CpuSet pinned(TuningPlan plan) {
        List<CpuSet> sets = plan.vcpus().stream().filter(VcpuPlacement::pinned).map(VcpuPlacement::pcpus).toList();
        return sets.stream().reduce(CpuSet.empty(), CpuSet::union);
    }
}
