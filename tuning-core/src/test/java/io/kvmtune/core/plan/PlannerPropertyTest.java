package io.kvmtune.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuMode;
import io.kvmtune.core.spec.CpuPolicy;
import io.kvmtune.core.spec.CpuThreadPolicy;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.TuningRequest;
import io.kvmtune.core.topology.Core;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.TestTopologies;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of the planner over seeded random hosts and request sequences. Each seed builds a
 * host (1–4 nodes, 1–8 cores per node, 1–2 threads per core, random dedicated and shared sets)
 * and plans up to 16 random valid requests against one growing claims set, as a claims ledger
 * would. A failing seed reproduces exactly: it is in the test name.
 */
class PlannerPropertyTest {

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    private record Host(HostTopology topology, HostPolicy policy) {
    }

    private static Host randomHost(SplittableRandom rnd) {
        HostTopology topology = TestTopologies.host(1 + rnd.nextInt(4), 1 + rnd.nextInt(8), 1 + rnd.nextInt(2));
        CpuSet dedicated = CpuSet.empty();
        CpuSet shared = CpuSet.empty();
        for (int cpu : topology.online().toArray()) {
            if (rnd.nextInt(10) < 7) {
                dedicated = dedicated.with(cpu);
            } else if (rnd.nextBoolean()) {
                shared = shared.with(cpu);
            }
        }
        Optional<CpuSet> d = dedicated.isEmpty() || rnd.nextInt(10) == 0 ? Optional.empty() : Optional.of(dedicated);
        Optional<CpuSet> s = shared.isEmpty() || rnd.nextInt(10) < 3 ? Optional.empty() : Optional.of(shared);
        return new Host(topology, new HostPolicy(d, s, "kvm", Optional.of(CpuMode.HOST_MODEL), List.of(), List.of(),
                1 + rnd.nextInt(99)));
    }

    /** A request that passes Nova's validation: the planner's input contract. */
    private static TuningRequest randomRequest(SplittableRandom rnd, HostPolicy host) {
        int vcpus = 1 + rnd.nextInt(8);
        CpuPolicy policy = vcpus >= 2 ? CpuPolicy.values()[rnd.nextInt(3)]
                : rnd.nextBoolean() ? CpuPolicy.SHARED : CpuPolicy.DEDICATED;
        Requests r;
        if (policy == CpuPolicy.DEDICATED) {
            r = Requests.dedicated(vcpus);
        } else if (policy == CpuPolicy.MIXED) {
            CpuSet mask = randomProperSubset(rnd, vcpus);
            r = Requests.mixed(vcpus, mask.format());
        } else {
            r = Requests.shared(vcpus);
        }
        TuningRequest base = r.build();
        boolean pinned = policy != CpuPolicy.SHARED;
        EmulatorThreadsPolicy emulator = switch (rnd.nextInt(3)) {
            case 0 -> pinned ? EmulatorThreadsPolicy.ISOLATE : null;
            case 1 -> EmulatorThreadsPolicy.SHARE;
            default -> null;
        };
        if (pinned && rnd.nextBoolean()) {
            CpuSet realtime;
            if (policy == CpuPolicy.MIXED) {
                realtime = base.pinnedVcpus();
            } else if (emulator != null && rnd.nextBoolean()) {
                realtime = CpuSet.firstN(vcpus);
            } else {
                realtime = vcpus == 1 ? null : randomProperSubset(rnd, vcpus);
            }
            if (realtime != null) {
                r.realtime("hw:cpu_realtime_mask=" + realtime, realtime);
                // Nova refuses realtime with shared emulator threads on a host without cpu_shared_set.
                if (emulator == EmulatorThreadsPolicy.SHARE && host.sharedSet().isEmpty()) {
                    emulator = EmulatorThreadsPolicy.ISOLATE;
                }
            }
        }
        if (emulator != null) {
            r.emulator(emulator);
        }
        if (pinned && rnd.nextBoolean()) {
            r.threads(CpuThreadPolicy.values()[rnd.nextInt(3)]);
        }
        if (rnd.nextInt(4) == 0) {
            int nodes = 1 + rnd.nextInt(Math.min(vcpus, 4));
            if (vcpus % nodes == 0) {
                r.numaNodes(nodes);
            }
        }
        return r.build();
    }

    private static CpuSet randomProperSubset(SplittableRandom rnd, int n) {
        CpuSet s = CpuSet.empty();
        while (s.isEmpty() || s.size() == n) {
            s = CpuSet.empty();
            for (int v = 0; v < n; v++) {
                if (rnd.nextBoolean()) {
                    s = s.with(v);
                }
            }
        }
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aSequenceOfPlansNeverGivesAPcpuTwiceAndKeepsEveryRule(long seed) {
        planSequence(seed);
    }

    @Test
    void theGeneratorReachesEveryEmulatorRuleAndMostSeedsPlanSomething() {
        EnumSet<EmulatorRule> rules = EnumSet.noneOf(EmulatorRule.class);
        long seedsWithPlans = seeds().filter(seed -> {
            List<TuningPlan> plans = planSequence(seed);
            plans.forEach(p -> rules.add(p.emulator().rule()));
            return !plans.isEmpty();
        }).count();

        assertThat(rules).containsExactlyInAnyOrder(EmulatorRule.values());
        assertThat(seedsWithPlans).isGreaterThan(seeds().count() * 3 / 4);
    }

    /** Plans up to 16 random requests against one growing claims set, checking each plan; returns the plans. */
    private static List<TuningPlan> planSequence(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Host host = randomHost(rnd);
        Planner planner = Planner.forHost(host.policy(), host.topology());
        CpuSet claims = CpuSet.empty();
        List<TuningPlan> plans = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            TuningRequest request = randomRequest(rnd, host.policy());
            TuningPlan plan;
            try {
                plan = planner.plan(request, claims);
            } catch (DoesNotFitException e) {
                assertThat(e.key()).isIn("cpu_dedicated_set", "cpu_shared_set", "hw:numa_nodes", "hw:cpu_thread_policy");
                continue;
            }
            checkPlan(host, request, claims, plan);
            claims = claims.union(plan.claimedPcpus());
            plans.add(plan);
        }
        return plans;
    }

    private static void checkPlan(Host host, TuningRequest request, CpuSet claims, TuningPlan plan) {
        assertThat(plan.claimedPcpus().intersects(claims)).as("a pCPU given twice").isFalse();

        // Nova's dedicated CPUs: cpu_dedicated_set, or every online CPU on a host with no set configured.
        CpuSet dedicated = NovaCpuSets.of(host.policy(), host.topology().online()).dedicated();
        assertThat(dedicated.containsAll(plan.claimedPcpus())).as("claimed pCPUs outside cpu_dedicated_set").isTrue();
        for (VcpuPlacement v : plan.vcpus()) {
            assertThat(v.pinned()).isEqualTo(request.pinnedVcpus().contains(v.vcpu()));
            if (v.pinned()) {
                assertThat(v.pcpus().size()).isEqualTo(1);
                assertThat(dedicated.containsAll(v.pcpus())).as("pinned pCPU outside cpu_dedicated_set").isTrue();
            } else if (host.policy().dedicatedSet().isPresent()) {
                assertThat(v.pcpus().intersects(dedicated)).as("floating vCPU on dedicated pCPUs").isFalse();
            }
        }
        CpuSet pinnedPcpus = plan.vcpus().stream().filter(VcpuPlacement::pinned).map(VcpuPlacement::pcpus)
                .reduce(CpuSet.empty(), CpuSet::union);
        assertThat(pinnedPcpus.size()).as("two vCPUs on one pCPU").isEqualTo(request.pinnedVcpus().size());

        if (plan.realtime().isPresent()) {
            CpuSet rt = plan.realtime().get().vcpus();
            assertThat(rt.isEmpty()).isFalse();
            if (rt.size() == request.vcpus()) {
                assertThat(plan.emulator().rule()).as("all vCPUs realtime with emulator threads among them")
                        .isIn(EmulatorRule.ISOLATE, EmulatorRule.SHARE_SHARED_SET);
            }
            // On a host without CPU sets Nova's shared and dedicated CPUs are the same (its legacy
            // fallback), so floating vCPUs, and the emulator threads beside them, may share a realtime pCPU.
            NovaCpuSets sets = NovaCpuSets.of(host.policy(), host.topology().online());
            if (plan.emulator().rule() == EmulatorRule.NON_REALTIME_VCPUS && !sets.shared().intersects(sets.dedicated())) {
                CpuSet rtPcpus = rt.stream().mapToObj(v -> plan.vcpus().get(v).pcpus()).reduce(CpuSet.empty(), CpuSet::union);
                assertThat(plan.emulator().pcpus().intersects(rtPcpus)).as("emulator on a realtime vCPU's pCPU").isFalse();
            }
        }
        assertThat(plan.emulator().rule() == EmulatorRule.ISOLATE).isEqualTo(plan.isolatedEmulatorPcpu().isPresent());
        if (request.threadPolicy().orElse(null) == CpuThreadPolicy.ISOLATE) {
            for (Core core : host.topology().cores()) {
                assertThat(core.threads().intersect(pinnedPcpus).size()).as("two vCPUs on one isolated core")
                        .isLessThanOrEqualTo(1);
            }
        }
        int perNode = request.vcpus() / request.numaNodes().orElse(1);
        for (int g = 0; g < request.numaNodes().orElse(1); g++) {
            long nodes = plan.vcpus().subList(g * perNode, (g + 1) * perNode).stream().filter(VcpuPlacement::pinned)
                    .map(v -> host.topology().nodeOf(v.pcpus().first()).id()).distinct().count();
            assertThat(nodes).as("guest node " + g + " spans host nodes").isLessThanOrEqualTo(1);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSameInputsGiveTheSamePlanOrTheSameRefusal(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Host host = randomHost(rnd);
        TuningRequest request = randomRequest(rnd, host.policy());
        CpuSet claims = CpuSet.empty();
        for (int cpu : host.topology().online().toArray()) {
            if (rnd.nextInt(4) == 0) {
                claims = claims.with(cpu);
            }
        }
        CpuSet claimed = claims;
        try {
            TuningPlan plan = Planner.plan(request, host.policy(), host.topology(), claimed);
            assertThat(Planner.forHost(host.policy(), host.topology()).plan(request, claimed)).isEqualTo(plan);
        } catch (DoesNotFitException e) {
            assertThatThrownBy(() -> Planner.plan(request, host.policy(), host.topology(), claimed))
                    .isInstanceOf(DoesNotFitException.class).hasMessage(e.getMessage());
        }
    }
}
