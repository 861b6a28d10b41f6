package io.kvmtune.core.plan;

import static io.kvmtune.core.plan.Hosts.policy;
import static io.kvmtune.core.topology.TestTopologies.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuMode;
import io.kvmtune.core.spec.CpuThreadPolicy;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.linux.SchedPolicy;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test per planning rule of nova-semantics.md §2–§5, each naming the Nova rule or unit test
 * it mirrors. Hosts come from {@code TestTopologies.host(nodes, coresPerNode, threadsPerCore)}:
 * with 4 cores of 2 threads the cores are {0,4} {1,5} {2,6} {3,7}.
 */
class PlannerTest {

    private static final HostTopology FOUR_CORES_SMT = host(1, 4, 2);
    private static final HostTopology EIGHT_CPUS = host(1, 8, 1);
    private static final HostTopology TWO_NODES = host(2, 4, 1);

    private static List<Integer> pcpus(TuningPlan plan) {
        return plan.vcpus().stream().map(v -> v.pcpus().first()).toList();
    }

    @Nested
    class Pinning {

        @Test
        void dedicatedVcpusGetFreeDedicatedPcpusWithSiblingThreadsFilledTogether() {
            TuningPlan plan = Planner.plan(Requests.dedicated(4).build(), policy("0-7", null), FOUR_CORES_SMT,
                    CpuSet.empty());

            assertThat(pcpus(plan)).containsExactly(0, 4, 1, 5);
            assertThat(plan.vcpus()).allMatch(VcpuPlacement::pinned);
            assertThat(plan.claimedPcpus()).isEqualTo(CpuSet.parse("0-1,4-5"));
        }

        @Test
        void claimedPcpusAreNeverUsedAndCoresWithTheMostFreeSiblingsComeFirst() {
            // Nova's _pack_instance_onto_cores: core {0,4} has one free thread, core {1,5} two.
            TuningPlan plan = Planner.plan(Requests.dedicated(2).build(), policy("0-7", null), FOUR_CORES_SMT,
                    CpuSet.of(0));

            assertThat(pcpus(plan)).containsExactly(1, 5);
        }

        @Test
        void onlyOnlineCpusOfTheDedicatedSetAreUsed() {
            HostTopology fourOnline = host(1, 4, 1);
            HostPolicy host = policy("0-7", null);

            assertThat(pcpus(Planner.plan(Requests.dedicated(4).build(), host, fourOnline, CpuSet.empty())))
                    .containsExactly(0, 1, 2, 3);
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(5).build(), host, fourOnline, CpuSet.empty()))
                    .isInstanceOf(DoesNotFitException.class);
        }

        @Test
        void pinnedRequestWithoutDedicatedSetDoesNotFitAndNamesTheMissingSetting() {
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(2).build(), policy(null, "0-3"), EIGHT_CPUS,
                    CpuSet.empty()))
                    .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                        assertThat(e.code()).isEqualTo("DoesNotFit");
                        assertThat(e.key()).isEqualTo("cpu_dedicated_set");
                        assertThat(e.getMessage()).contains("cpu_dedicated_set not set").contains("hw:cpu_policy=dedicated");
                    });
        }

        @Test
        void guestThatFitsNoSingleNodeDoesNotFitAndSaysHowManyPcpusEachNodeHas() {
            // Nova: without hw:numa_nodes the guest is one NUMA cell that must fit one host cell.
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(4).build(), policy("0-7", null), TWO_NODES,
                    CpuSet.of(0, 1, 4)))
                    .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                        assertThat(e.key()).isEqualTo("cpu_dedicated_set");
                        assertThat(e.value()).isEqualTo("0-7");
                        assertThat(e.getMessage())
                                .contains("vCPUs 0-3 need 4 free pCPUs of cpu_dedicated_set=0-7")
                                .contains("node 0: 2 free, node 1: 3 free")
                                .contains("hw:numa_nodes=2");
                    });
        }

        @Test
        void numaNodesSpreadTheVcpusEvenlyOverThatManyHostNodes() {
            TuningPlan plan = Planner.plan(Requests.dedicated(4).numaNodes(2).build(), policy("0-7", null), TWO_NODES,
                    CpuSet.of(0, 1, 4));

            assertThat(pcpus(plan)).containsExactly(2, 3, 5, 6);
            assertThat(plan.reasons()).extracting(Reason::because).contains("hw:numa_nodes=2");
        }

        @Test
        void theNodeWithTheMostFreeDedicatedCpusIsChosenByDefault() {
            // Nova >= 26.0.0 spreads: packing_host_numa_cells_allocation_strategy defaults to False.
            TuningPlan plan = Planner.plan(Requests.dedicated(2).build(), policy("0-7", null), TWO_NODES, CpuSet.of(4));

            assertThat(pcpus(plan)).containsExactly(0, 1);
        }

        @Test
        void moreGuestNodesThanHostNodesDoesNotFit() {
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(4).numaNodes(4).build(), policy("0-7", null),
                    TWO_NODES, CpuSet.empty()))
                    .isInstanceOfSatisfying(DoesNotFitException.class, e -> assertThat(e.key()).isEqualTo("hw:numa_nodes"));
        }

        @Test
        void numaNodesThatDoNotDivideTheVcpusAreRejected() {
            // Nova: ImageNUMATopologyAsymmetric when vCPUs % hw:numa_nodes != 0 and no hw:numa_cpus.N.
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(3).numaNodes(2).build(), policy("0-7", null),
                    TWO_NODES, CpuSet.empty()))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.code()).isEqualTo("ImageNUMATopologyAsymmetric"));
        }
    }

    @Nested
    class ThreadPolicy {

        @Test
        void isolateUsesWholeCoresAndHoldsTheSiblingsSoNoLaterGuestGetsThem() {
            HostPolicy host = policy("0-7", null);
            TuningPlan first = Planner.plan(Requests.dedicated(2).threads(CpuThreadPolicy.ISOLATE).build(), host,
                    FOUR_CORES_SMT, CpuSet.empty());
            TuningPlan second = Planner.plan(Requests.dedicated(2).build(), host, FOUR_CORES_SMT, first.claimedPcpus());

            assertThat(pcpus(first)).containsExactly(0, 1);
            assertThat(first.reservedPcpus()).isEqualTo(CpuSet.of(4, 5));
            assertThat(first.claimedPcpus()).isEqualTo(CpuSet.parse("0-1,4-5"));
            assertThat(pcpus(second)).containsExactly(2, 6);
        }

        @Test
        void isolateCountsOnlyEntirelyFreeCores() {
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(4).threads(CpuThreadPolicy.ISOLATE).build(),
                    policy("0-7", null), FOUR_CORES_SMT, CpuSet.of(5)))
                    .isInstanceOfSatisfying(DoesNotFitException.class, e -> assertThat(e.getMessage())
                            .contains("4 whole free cores").contains("node 0: 3 whole free cores"));
        }

        @Test
        void requireNeedsSmtSiblings() {
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(2).threads(CpuThreadPolicy.REQUIRE).build(),
                    policy("0-7", null), EIGHT_CPUS, CpuSet.empty()))
                    .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                        assertThat(e.key()).isEqualTo("hw:cpu_thread_policy");
                        assertThat(e.value()).isEqualTo("require");
                    });
            TuningPlan plan = Planner.plan(Requests.dedicated(2).threads(CpuThreadPolicy.REQUIRE).build(),
                    policy("0-7", null), FOUR_CORES_SMT, CpuSet.empty());
            assertThat(pcpus(plan)).containsExactly(0, 4);
        }
    }

    @Nested
    class EmulatorThreads {

        @Test
        void realtimeGuestEmulatorRunsOnItsNonRealtimeVcpus() {
            // nova-semantics §3 rule 3: dedicated 4 vCPUs pinned to 4-7, mask ^0-1 -> emulator 4-5
            // (driver._get_emulatorpin_cpuset, test_get_guest_config_numa_host_instance_topo_cpu_pinning_realtime).
            TuningPlan plan = Planner.plan(Requests.dedicated(4).realtime("hw:cpu_realtime_mask=^0-1", CpuSet.of(2, 3))
                    .build(), policy("4-7", null), EIGHT_CPUS, CpuSet.empty());

            assertThat(pcpus(plan)).containsExactly(4, 5, 6, 7);
            assertThat(plan.emulator()).isEqualTo(new EmulatorPlacement(CpuSet.of(4, 5), EmulatorRule.NON_REALTIME_VCPUS));
        }

        @Test
        void nonRealtimeGuestEmulatorRunsOnAllItsPcpus() {
            TuningPlan plan = Planner.plan(Requests.dedicated(2).build(), policy("4-7", null), EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.emulator()).isEqualTo(new EmulatorPlacement(CpuSet.of(4, 5), EmulatorRule.GUEST_PCPUS));
            assertThat(plan.isolatedEmulatorPcpu()).isEmpty();
        }

        @Test
        void isolateReservesTheFirstFreePcpuInCoreOrderAfterTheVcpus() {
            // hardware._pack_instance_onto_cores with cpuset_reserved: free threads minus the pinned ones, first one.
            TuningPlan plan = Planner.plan(Requests.dedicated(2).emulator(EmulatorThreadsPolicy.ISOLATE).build(),
                    policy("0-7", null), FOUR_CORES_SMT, CpuSet.empty());

            assertThat(pcpus(plan)).containsExactly(0, 4);
            assertThat(plan.isolatedEmulatorPcpu()).isEqualTo(OptionalInt.of(1));
            assertThat(plan.emulator()).isEqualTo(new EmulatorPlacement(CpuSet.of(1), EmulatorRule.ISOLATE));
            assertThat(plan.claimedPcpus()).isEqualTo(CpuSet.of(0, 1, 4));
        }

        @Test
        void isolateWithIsolatedThreadsReservesOutsideTheWholeCoresUsed() {
            // Same Nova function: with thread policy isolate the whole cores of the pinned pCPUs are excluded.
            TuningPlan plan = Planner.plan(Requests.dedicated(2).threads(CpuThreadPolicy.ISOLATE)
                    .emulator(EmulatorThreadsPolicy.ISOLATE).build(), policy("0-7", null), FOUR_CORES_SMT, CpuSet.empty());

            assertThat(pcpus(plan)).containsExactly(0, 1);
            assertThat(plan.isolatedEmulatorPcpu()).isEqualTo(OptionalInt.of(2));
            assertThat(plan.claimedPcpus()).isEqualTo(CpuSet.parse("0-2,4-5"));
        }

        @Test
        void isolateReservesOnTheHostNodeOfGuestNodeZeroAndNeedsRoomThere() {
            // Only the host cell of guest node 0 reserves the extra pCPU (numa_fit_instance_to_host).
            TuningPlan plan = Planner.plan(Requests.dedicated(4).numaNodes(2).emulator(EmulatorThreadsPolicy.ISOLATE)
                    .build(), policy("0-7", null), TWO_NODES, CpuSet.of(4, 5));

            assertThat(pcpus(plan)).containsExactly(0, 1, 6, 7);
            assertThat(plan.isolatedEmulatorPcpu()).isEqualTo(OptionalInt.of(2));
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(4).emulator(EmulatorThreadsPolicy.ISOLATE).build(),
                    policy("0-7", null), TWO_NODES, CpuSet.empty()))
                    .isInstanceOfSatisfying(DoesNotFitException.class, e -> assertThat(e.getMessage())
                            .contains("5 free pCPUs").contains("1 for hw:emulator_threads_policy=isolate"));
        }

        @Test
        void shareWithASharedSetPutsTheEmulatorOnTheWholeOnlineSharedSet() {
            // Rule 2: cpu_shared_set ∩ online, across NUMA nodes (test_get_emulatorpin_cpuset_share...).
            TuningPlan plan = Planner.plan(Requests.dedicated(2).emulator(EmulatorThreadsPolicy.SHARE).build(),
                    policy("4-7", "0-1,8-9"), EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.emulator()).isEqualTo(new EmulatorPlacement(CpuSet.of(0, 1), EmulatorRule.SHARE_SHARED_SET));
        }

        @Test
        void shareWithoutASharedSetFloatsOnTheGuestsOwnPcpus() {
            TuningPlan plan = Planner.plan(Requests.dedicated(2).emulator(EmulatorThreadsPolicy.SHARE).build(),
                    policy("4-7", null), EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.emulator()).isEqualTo(new EmulatorPlacement(CpuSet.of(4, 5), EmulatorRule.GUEST_PCPUS));
        }

        @Test
        void realtimeWithSharedEmulatorAndNoSharedSetIsRejected() {
            // Driver check at spawn: RealtimeMaskNotFoundOrInvalid regardless of the mask.
            assertThatThrownBy(() -> Planner.plan(Requests.dedicated(2).emulator(EmulatorThreadsPolicy.SHARE)
                    .realtime("hw:cpu_realtime_mask=^0", CpuSet.of(1)).build(), policy("4-7", null), EIGHT_CPUS,
                    CpuSet.empty()))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                        assertThat(e.code()).isEqualTo("RealtimeMaskNotFoundOrInvalid");
                        assertThat(e.key()).isEqualTo("hw:emulator_threads_policy");
                    });
        }

        @Test
        void allRealtimeVcpusWithSharedEmulatorUseTheSharedSet() {
            TuningPlan plan = Planner.plan(Requests.dedicated(2).emulator(EmulatorThreadsPolicy.SHARE)
                    .realtime("hw:cpu_realtime_mask=0-1", CpuSet.of(0, 1)).build(), policy("4-7", "0-1"), EIGHT_CPUS,
                    CpuSet.empty());

            assertThat(plan.emulator().pcpus()).isEqualTo(CpuSet.of(0, 1));
            assertThat(plan.realtime().orElseThrow().vcpus()).isEqualTo(CpuSet.of(0, 1));
        }
    }

    @Nested
    class FloatingVcpus {

        @Test
        void mixedPinsOnlyItsDedicatedVcpusAndFloatsTheRestOnTheNodesSharedCpus() {
            // Mixed realtime guest: the realtime set is the pinned set; emulator on the floating vCPUs' shared CPUs.
            TuningPlan plan = Planner.plan(Requests.mixed(4, "2-3").realtime("hw:cpu_realtime_mask=2-3", CpuSet.of(2, 3))
                    .build(), policy("4-7", "0-3"), EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.vcpus()).containsExactly(
                    new VcpuPlacement(0, CpuSet.range(0, 3), false, SchedPolicy.OTHER, 0),
                    new VcpuPlacement(1, CpuSet.range(0, 3), false, SchedPolicy.OTHER, 0),
                    new VcpuPlacement(2, CpuSet.of(4), true, SchedPolicy.FIFO, 1),
                    new VcpuPlacement(3, CpuSet.of(5), true, SchedPolicy.FIFO, 1));
            assertThat(plan.emulator()).isEqualTo(new EmulatorPlacement(CpuSet.range(0, 3), EmulatorRule.NON_REALTIME_VCPUS));
            assertThat(plan.claimedPcpus()).isEqualTo(CpuSet.of(4, 5));
        }

        @Test
        void mixedOnAHostWithOnlyADedicatedSetDoesNotFit() {
            // §3: a cell's shared CPUs are none when only cpu_dedicated_set is set.
            assertThatThrownBy(() -> Planner.plan(Requests.mixed(4, "2-3").build(), policy("4-7", null), EIGHT_CPUS,
                    CpuSet.empty()))
                    .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                        assertThat(e.key()).isEqualTo("cpu_shared_set");
                        assertThat(e.getMessage()).contains("node 0: 4 free, 0 shared");
                    });
        }

        @Test
        void sharedGuestFloatsOnTheSharedSetOrAllOnlineCpusWhenNoSetIsConfigured() {
            TuningPlan onSharedSet = Planner.plan(Requests.shared(2).build(), policy("4-7", "0-1"), EIGHT_CPUS,
                    CpuSet.empty());
            TuningPlan onAll = Planner.plan(Requests.shared(2).build(), policy(null, null), EIGHT_CPUS, CpuSet.empty());

            assertThat(onSharedSet.vcpus()).allMatch(v -> !v.pinned() && v.pcpus().equals(CpuSet.of(0, 1)));
            assertThat(onSharedSet.emulator()).isEqualTo(new EmulatorPlacement(CpuSet.of(0, 1), EmulatorRule.GUEST_PCPUS));
            assertThat(onSharedSet.claimedPcpus()).isEqualTo(CpuSet.empty());
            assertThat(onAll.vcpus()).allMatch(v -> v.pcpus().equals(CpuSet.range(0, 7)));
        }

        @Test
        void sharedGuestOnAHostWithOnlyDedicatedCpusDoesNotFit() {
            assertThatThrownBy(() -> Planner.plan(Requests.shared(2).build(), policy("0-7", null), EIGHT_CPUS,
                    CpuSet.empty()))
                    .isInstanceOfSatisfying(DoesNotFitException.class, e -> assertThat(e.key()).isEqualTo("cpu_shared_set"));
        }
    }

    @Nested
    class RealtimeAndMemory {

        @Test
        void realtimeVcpusGetFifoAtTheConfiguredPriorityAndOthersStayOther() {
            TuningPlan plan = Planner.plan(Requests.dedicated(3).realtime("hw:cpu_realtime_mask=^0", CpuSet.of(1, 2))
                    .build(), Hosts.withPriority(policy("4-7", null), 7), EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.realtime()).contains(new RealtimePlan(CpuSet.of(1, 2), SchedPolicy.FIFO, 7));
            assertThat(plan.vcpus()).extracting(VcpuPlacement::policy, VcpuPlacement::priority).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(SchedPolicy.OTHER, 0),
                    org.assertj.core.groups.Tuple.tuple(SchedPolicy.FIFO, 7),
                    org.assertj.core.groups.Tuple.tuple(SchedPolicy.FIFO, 7));
            assertThat(plan.reasons()).contains(new Reason("realtime priority 7", "realtime_scheduler_priority=7"));
        }

        @Test
        void realtimeLocksMemoryAndTurnsOffPageSharing() {
            // _get_guest_memory_backing_config: realtime -> <nosharepages/> and <locked/>.
            TuningPlan plan = Planner.plan(Requests.dedicated(2).realtime("hw:cpu_realtime_mask=^0", CpuSet.of(1)).build(),
                    policy("4-7", null), EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.memory()).isEqualTo(new MemoryPlan(true, true));
        }

        @Test
        void lockedMemoryLocksWithoutTouchingPageSharing() {
            TuningPlan plan = Planner.plan(Requests.dedicated(2).lockedMemory("large").build(), policy("4-7", null),
                    EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.memory()).isEqualTo(new MemoryPlan(true, false));
            assertThat(plan.reasons()).contains(new Reason("guest memory locked", "hw:locked_memory=true"));
        }

        @Test
        void plainGuestKeepsDefaultMemory() {
            TuningPlan plan = Planner.plan(Requests.dedicated(2).build(), policy("4-7", null), EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.memory()).isEqualTo(new MemoryPlan(false, false));
            assertThat(plan.realtime()).isEmpty();
        }
    }

    @Nested
    class TimersAndCpu {

        @Test
        void kvmX86GuestsGetAnExplicitHpetPresentValue() {
            // _set_kvm_timers: x86 guests always get <timer name="hpet" present="yes|no"/>.
            HostPolicy host = policy("4-7", null);
            assertThat(Planner.plan(Requests.dedicated(1).build(), host, EIGHT_CPUS, CpuSet.empty()).hpet())
                    .contains(false);
            assertThat(Planner.plan(Requests.dedicated(1).hpet(true).build(), host, EIGHT_CPUS, CpuSet.empty()).hpet())
                    .contains(true);
            assertThat(Planner.plan(Requests.dedicated(1).hpet(true).arch("i686").build(), host, EIGHT_CPUS,
                    CpuSet.empty()).hpet()).contains(true);
        }

        @Test
        void nonX86GuestsAndNonKvmHostsGetNoHpet() {
            assertThat(Planner.plan(Requests.dedicated(1).arch("aarch64").build(), policy("4-7", null), EIGHT_CPUS,
                    CpuSet.empty()).hpet()).isEmpty();
            TuningPlan tcg = Planner.plan(Requests.dedicated(1).hpet(true).build(),
                    Hosts.withVirtType(policy("4-7", null), "qemu"), EIGHT_CPUS, CpuSet.empty());
            assertThat(tcg.hpet()).isEmpty();
            assertThat(tcg.reasons()).contains(new Reason("no guest timers (pit, rtc, hpet)", "virt_type=qemu"));
        }

        @Test
        void unsetCpuModeIsHostModelOnX86AndHostPassthroughOnAarch64() {
            TuningPlan x86 = Planner.plan(Requests.dedicated(1).build(), policy("4-7", null), EIGHT_CPUS, CpuSet.empty());
            TuningPlan arm = Planner.plan(Requests.dedicated(1).arch("aarch64").build(), policy("4-7", null),
                    host("aarch64", 1, 8, 1), CpuSet.empty());

            assertThat(x86.cpu()).contains(new GuestCpu("host-model", null, List.of()));
            assertThat(arm.cpu()).contains(new GuestCpu("host-passthrough", null, List.of()));
        }

        @Test
        void customModeUsesTheFirstModelAndFeaturesSortedByName() {
            HostPolicy host = Hosts.withCpu(policy("4-7", null), CpuMode.CUSTOM, List.of("Nehalem", "Haswell"),
                    List.of(new CpuFeature("vmx", "disable"), new CpuFeature("pcid", "require")));
            TuningPlan plan = Planner.plan(Requests.dedicated(1).build(), host, EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.cpu()).contains(new GuestCpu("custom", "Nehalem",
                    List.of(new CpuFeature("pcid", "require"), new CpuFeature("vmx", "disable"))));
            assertThat(plan.cpu().orElseThrow().features()).extracting(CpuFeature::name).containsExactly("pcid", "vmx");
            assertThat(plan.reasons()).extracting(Reason::because).contains("cpu_models=Nehalem,Haswell",
                    "cpu_model_extra_flags=-vmx,+pcid");
        }

        @Test
        void modeNoneGivesACpuElementWithoutModeModelOrFlags() {
            HostPolicy host = Hosts.withCpu(policy("4-7", null), CpuMode.NONE, List.of(),
                    List.of(new CpuFeature("pcid", "require")));

            assertThat(Planner.plan(Requests.dedicated(1).build(), host, EIGHT_CPUS, CpuSet.empty()).cpu())
                    .contains(new GuestCpu(null, null, List.of()));
        }

        @Test
        void otherVirtTypesGetNoCpuElement() {
            HostPolicy lxc = Hosts.withVirtType(policy("4-7", null), "lxc");

            assertThat(Planner.plan(Requests.dedicated(1).build(), lxc, EIGHT_CPUS, CpuSet.empty()).cpu()).isEmpty();
        }
    }

    @Nested
    class Explanations {

        @Test
        void everyDecisionCitesTheSettingThatCausedIt() {
            TuningPlan plan = Planner.plan(Requests.dedicated(4).realtime("hw:cpu_realtime_mask=^0-1", CpuSet.of(2, 3))
                    .build(), policy("4-7", null), EIGHT_CPUS, CpuSet.empty());

            assertThat(plan.reasons()).contains(
                    new Reason("vCPUs 0-3 pinned 1:1 to pCPUs 4-7, free in cpu_dedicated_set=4-7", "hw:cpu_policy=dedicated"),
                    new Reason("vCPUs 2-3 realtime: SCHED_FIFO", "hw:cpu_realtime_mask=^0-1"),
                    new Reason("vCPUs 0-1 stay SCHED_OTHER", "hw:cpu_realtime_mask=^0-1"),
                    new Reason("guest memory locked, KSM page sharing off", "hw:cpu_realtime=yes"),
                    new Reason("hpet timer present=no", "hw_time_hpet not set, virt_type=kvm"));
            assertThat(plan.reasons()).filteredOn(r -> r.decision().startsWith("emulator threads")).singleElement()
                    .satisfies(r -> assertThat(r.because()).contains("hw:cpu_realtime_mask=^0-1"));
            assertThat(plan.reasons()).allSatisfy(r -> assertThat(r.because()).isNotBlank().isNotEqualTo("default"));
        }

        @Test
        void theSamePlannerGivesEqualPlansForEqualInputs() {
            Planner planner = Planner.forHost(policy("0-7", null), FOUR_CORES_SMT);
            var request = Requests.dedicated(3).threads(CpuThreadPolicy.ISOLATE).build();

            assertThat(planner.plan(request, CpuSet.of(3))).isEqualTo(planner.plan(request, CpuSet.of(3)))
                    .isEqualTo(Planner.plan(request, policy("0-7", null), FOUR_CORES_SMT, CpuSet.of(3)));
        }

        @Test
        void planSurvivesItsJsonRoundTrip() {
            TuningPlan plan = Planner.plan(Requests.dedicated(2).threads(CpuThreadPolicy.ISOLATE)
                    .emulator(EmulatorThreadsPolicy.ISOLATE).realtime("hw:cpu_realtime_mask=^0", CpuSet.of(1)).build(),
                    policy("0-7", null), FOUR_CORES_SMT, CpuSet.empty());

            assertThat(TuningPlan.fromJson(io.kvmtune.core.json.Json.write(plan))).isEqualTo(plan);
            assertThat(plan.reservedPcpus()).isEqualTo(CpuSet.of(4, 5));
        }
    }

    @Test
    void floatingAndPinnedPlacementsAreNeverEmptyEvenOnMemoryOnlyNodes() {
        HostTopology withMemoryOnlyNode = new HostTopology("x86_64", CpuSet.range(0, 3),
                List.of(new io.kvmtune.core.topology.NumaNode(0, CpuSet.range(0, 3), List.of(10, 20)),
                        new io.kvmtune.core.topology.NumaNode(1, CpuSet.empty(), List.of(20, 10))),
                host(1, 4, 1).cores());

        TuningPlan plan = Planner.plan(Requests.dedicated(2).build(), policy("0-3", null), withMemoryOnlyNode,
                CpuSet.empty());

        assertThat(pcpus(plan)).containsExactly(0, 1);
        assertThat(Optional.of(plan.emulator().pcpus())).contains(CpuSet.of(0, 1));
    }
}
