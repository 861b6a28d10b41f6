package io.kvmtune.core.apply;

import static io.kvmtune.core.apply.TestGuests.PID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.apply.FakeCgroupHost.Layout;
import io.kvmtune.core.apply.InMemoryThreadControl.Call;
import io.kvmtune.core.apply.RestoreItem.Outcome;
import io.kvmtune.core.apply.ThreadControlException.Failure;
import io.kvmtune.core.cgroup.CgroupGroup;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.files.FileVersion;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.linux.ResourceLimit;
import io.kvmtune.linux.SchedPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApplierTest {

    private static final CpuSet ONLINE = CpuSet.range(0, 7);
    private static final String VCPU = FakeCgroupHost.V1_GUEST + "/vcpu";

    @TempDir
    Path dir;

    private final QemuGuest guest = TestGuests.guest(4);
    private final TuningPlan plan = TestGuests.realtimePlan(4, 2, CpuSet.of(0, 1), false);
    private InMemoryThreadControl threads;
    private FakeCgroupHost host;
    private RecordStore records;
    private Map<Integer, ThreadState> originalThreads;
    private Map<String, String> originalFiles;

    @BeforeEach
    void setUp() {
        useLayout(Layout.V1_LIBVIRT);
    }

    private void useLayout(Layout layout) {
        threads = TestGuests.threads(guest, ONLINE);
        host = new FakeCgroupHost(dir.resolve(layout.name()), layout, "0-7");
        for (QemuThread t : guest.threads()) {
            host.thread(PID, t.tid(), t.role().label().startsWith("vcpu") ? t.role().label() : "emulator", "0-7");
        }
        records = new RecordStore(dir.resolve("run-" + layout.name()));
        originalThreads = states();
        originalFiles = host.files();
    }

    private Applier applier() {
        return new Applier(threads, threads, host.fs(), records);
    }

    private Map<Integer, ThreadState> states() {
        Map<Integer, ThreadState> m = new HashMap<>();
        guest.threads().forEach(t -> {
            if (threads.startTime(t.tid()).isPresent()) {
                m.put(t.tid(), threads.state(t.tid()));
            }
        });
        return m;
    }

    private void assertExactlyAsBefore() {
        assertThat(states()).isEqualTo(originalThreads);
        assertThat(host.files()).isEqualTo(originalFiles);
        assertThat(records.load(PID)).isEmpty();
    }

    @Test
    void appliesRealtimePlanThroughLibvirtV1Groups() {
        ApplyReport report = applier().apply(plan, guest, ApplyOptions.defaults());

        assertThat(report.changed()).isTrue();
        assertThat(threads.state(101)).isEqualTo(new ThreadState(CpuSet.of(2), SchedSettings.normal()));
        for (int vcpu = 1; vcpu < 4; vcpu++) {
            ThreadState s = threads.state(101 + vcpu);
            assertThat(s.affinity()).isEqualTo(CpuSet.of(2 + vcpu));
            assertThat(s.sched().label()).isEqualTo("fifo:1");
            assertThat(host.read("cpuset/" + VCPU + vcpu + "/cpuset.cpus")).isEqualTo(Integer.toString(2 + vcpu));
        }
        for (int emulator : new int[] {100, 105, 106}) {
            assertThat(threads.state(emulator)).isEqualTo(new ThreadState(CpuSet.of(0, 1), SchedSettings.normal()));
        }
        assertThat(host.read("cpuset/" + FakeCgroupHost.V1_GUEST + "/emulator/cpuset.cpus")).isEqualTo("0-1");
        assertThat(host.read("cpuset/" + VCPU + "0/cpuset.cpus")).isEqualTo("2");
        assertThat(records.load(PID)).get().extracting(ApplyRecord::plan).isEqualTo(plan);
        assertThat(report.threads()).hasSize(7).allMatch(ThreadChange::changed);
    }

    @Test
    void sharesTheFreeRealtimeRuntimeEquallyAndRaisesAncestorsFirst() {
        ApplyReport report = applier().apply(plan, guest, ApplyOptions.defaults());

        // 950000 us free at the root, three realtime vCPU groups: 316666 each, their parents hold the sum.
        assertThat(report.cgroupFiles()).filteredOn(f -> f.file().name().equals("cpu.rt_runtime_us"))
                .extracting(f -> f.file().group().path(), FileChange::after)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/machine", "949998"),
                        org.assertj.core.groups.Tuple.tuple("/" + FakeCgroupHost.V1_GUEST, "949998"),
                        org.assertj.core.groups.Tuple.tuple("/" + VCPU + "1", "316666"),
                        org.assertj.core.groups.Tuple.tuple("/" + VCPU + "2", "316666"),
                        org.assertj.core.groups.Tuple.tuple("/" + VCPU + "3", "316666"));
        assertThat(host.read("cpu/" + VCPU + "0/cpu.rt_runtime_us")).isEqualTo("0");
    }

    @Test
    void givesAFixedRealtimeRuntimeWhenAsked() {
        applier().apply(plan, guest, ApplyOptions.defaults().withRtRuntimeUs(100_000));

        assertThat(host.read("cpu/machine/cpu.rt_runtime_us")).isEqualTo("300000");
        assertThat(host.read("cpu/" + FakeCgroupHost.V1_GUEST + "/cpu.rt_runtime_us")).isEqualTo("300000");
        assertThat(host.read("cpu/" + VCPU + "2/cpu.rt_runtime_us")).isEqualTo("100000");
    }

    @Test
    void refusesARealtimeRuntimeTheAncestorsCannotGiveAndChangesNothing() {
        host.put("cpu/other/cpu.rt_runtime_us", "900000");
        host.put("cpu/other/cpu.rt_period_us", "1000000");
        originalFiles = host.files();

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults().withRtRuntimeUs(100_000)))
                .isInstanceOf(DoesNotFitException.class).hasMessageContaining("other groups hold 900000 us");
        assertExactlyAsBefore();
    }

    @Test
    void applyingTheSamePlanTwiceChangesNothingTheSecondTime() {
        applier().apply(plan, guest, ApplyOptions.defaults());
        Map<String, String> filesAfterFirst = host.files();
        int callsAfterFirst = threads.changes();

        ApplyReport second = applier().apply(plan, guest, ApplyOptions.defaults());

        assertThat(second.changed()).isFalse();
        assertThat(second.threads()).noneMatch(ThreadChange::changed);
        assertThat(second.cgroupFiles()).noneMatch(FileChange::changed);
        assertThat(threads.changes()).isEqualTo(callsAfterFirst);
        assertThat(host.files()).isEqualTo(filesAfterFirst);
    }

    @Test
    void restoreFromAnotherProcessPutsBackExactlyWhatWasThere() {
        applier().apply(plan, guest, ApplyOptions.defaults());

        // A new Applier over the same record directory stands for `kvmtune restore` run later.
        RestoreReport report = new Applier(threads, threads, host.fs(), new RecordStore(records.dir())).restore(PID);

        assertThat(report.complete()).isTrue();
        assertThat(report.items()).extracting(RestoreItem::outcome).contains(Outcome.RESTORED).doesNotContain(Outcome.FAILED);
        assertExactlyAsBefore();
    }

    @Test
    void restoreAfterASecondDifferentPlanStillGoesBackToTheStart() {
        applier().apply(plan, guest, ApplyOptions.defaults());
        applier().apply(TestGuests.moved(plan, 3, 6), guest, ApplyOptions.defaults());

        applier().restore(PID);

        assertExactlyAsBefore();
    }

    @Test
    void restoreAfterTheGuestIsGoneStillGivesTheRealtimeRuntimeBack() {
        applier().apply(plan, guest, ApplyOptions.defaults());
        guest.threads().forEach(t -> threads.exit(t.tid()));
        host.removeGroup("cpu/" + FakeCgroupHost.V1_GUEST);
        host.removeGroup("cpuset/" + FakeCgroupHost.V1_GUEST);
        host.removeGroup("cpuacct/" + FakeCgroupHost.V1_GUEST);
        assertThat(host.read("cpu/machine/cpu.rt_runtime_us")).isNotEqualTo("0");

        RestoreReport report = applier().restore(PID);

        assertThat(report.complete()).isTrue();
        assertThat(report.items()).filteredOn(i -> i.what().equals("cpu/machine/cpu.rt_runtime_us"))
                .extracting(RestoreItem::outcome).containsExactly(Outcome.RESTORED);
        assertThat(host.read("cpu/machine/cpu.rt_runtime_us")).isEqualTo("0");
        assertThat(records.load(PID)).isEmpty();
    }

    /**
     * What a kvmtune from before the realtime budget book left after applying {@link #plan}: the
     * record saves the {@code cpu.rt_runtime_us} values it raised (ancestors first), and there is
     * no book.
     */
    private void leaveAnApplyFromBeforeTheBook() throws Exception {
        applier().apply(plan, guest, ApplyOptions.defaults());
        Path book = records.dir().resolve(RtBudgetBook.FILE_NAME);
        List<FileSnapshot> raised = Json.parseObject(Files.readString(book)).objects("baselines").stream()
                .map(b -> new FileSnapshot(io.kvmtune.core.cgroup.CgroupFile.fromJson(b.object("file")),
                        Long.toString(b.integer("value"))))
                .toList();
        ApplyRecord record = records.load(PID).orElseThrow();
        Snapshot s = record.snapshot();
        records.save(new ApplyRecord(record.process(), record.plan(), record.qmpSocket(),
                new Snapshot(s.threads(), s.cpusets(), raised, s.memlock())));
        Files.delete(book);
        assertThat(raised).hasSize(5);
        assertThat(host.read("cpu/machine/cpu.rt_runtime_us")).isEqualTo("949998");
    }

    @Test
    void anOldRecordsRealtimeRuntimeIsHandedToTheBookByTheNextRunAndGivenBackThroughIt() throws Exception {
        leaveAnApplyFromBeforeTheBook();

        List<StaleCleanup> cleaned = applier().restoreExited();

        assertThat(cleaned).singleElement().asString().startsWith("realtime runtime of QEMU pid " + PID + ": saved in")
                .contains("now held there");
        assertThat(records.load(PID).orElseThrow().snapshot().rtRuntimes()).isEmpty();
        var book = Json.parseObject(Files.readString(records.dir().resolve(RtBudgetBook.FILE_NAME)));
        assertThat(book.objects("holders")).singleElement().satisfies(h -> assertThat(h.objects("groups")).hasSize(3));
        assertThat(book.objects("baselines")).extracting(b -> b.integer("value")).containsOnly(0L);
        assertThat(applier().restoreExited()).as("handed over once").isEmpty();

        applier().restore(PID);

        assertExactlyAsBefore();
        assertThat(records.dir().resolve(RtBudgetBook.FILE_NAME)).doesNotExist();
    }

    /** A second libvirt guest's group, whose QEMU {@link #OTHER_QEMU} has one realtime vCPU. */
    private static final String OTHER_GUEST = "machine/qemu-2-y.libvirt-qemu";
    private static final ThreadIdentity OTHER_QEMU = new ThreadIdentity(200, 9000);
    private static final CgroupGroup OTHER_VCPU = new CgroupGroup("cpu", "/" + OTHER_GUEST + "/vcpu1", false);

    /** Makes the other guest's cpu groups, without runtime, and its QEMU. */
    private void addOtherRealtimeGuest() {
        for (String g : List.of(OTHER_GUEST, OTHER_GUEST + "/vcpu1")) {
            host.put("cpu/" + g + "/cpu.rt_runtime_us", "0");
            host.put("cpu/" + g + "/cpu.rt_period_us", "1000000");
        }
        threads.add(OTHER_QEMU.tid(), OTHER_QEMU.startTime(), ONLINE, SchedSettings.normal());
    }

    /** The realtime budget book as another kvmtune process (the other guest's hook) has it. */
    private RtBudgetBook anotherProcessesBook() {
        return new RtBudgetBook(records.dir(), host.fs(), new LiveThreads(threads)::alive);
    }

    @Test
    void anotherRealtimeGuestFitsBesideAnOldRecordsGuestAndKeepsItsShareWhenThatOneIsRestored() throws Exception {
        leaveAnApplyFromBeforeTheBook();
        addOtherRealtimeGuest();
        RtBudgetBook book = anotherProcessesBook();

        applier().restoreExited(); // as every kvmtune run does before it applies
        book.hold(OTHER_QEMU, List.of(OTHER_VCPU), OptionalLong.empty());

        assertThat(host.read("cpu/" + OTHER_GUEST + "/vcpu1/cpu.rt_runtime_us")).as("a quarter of the root's 950000 (2 us without the old guest's share)")
                .isEqualTo("237500");
        applier().restore(PID);
        assertThat(host.read("cpu/" + OTHER_GUEST + "/vcpu1/cpu.rt_runtime_us")).isEqualTo("950000");
        assertThat(host.read("cpu/machine/cpu.rt_runtime_us")).isEqualTo("950000");
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("0");

        book.release(OTHER_QEMU);
        host.removeGroup("cpu/" + OTHER_GUEST);
        assertExactlyAsBefore();
    }

    @Test
    void theStateOfAnExitedQemuIsCleanedUpByTheNextRunAndALiveOnesIsLeftAlone() {
        applier().apply(plan, guest, ApplyOptions.defaults());
        assertThat(applier().restoreExited()).as("QEMU still running").isEmpty();
        assertThat(records.load(PID)).isPresent();
        guest.threads().forEach(t -> threads.exit(t.tid()));
        host.removeGroup("cpu/" + FakeCgroupHost.V1_GUEST);
        host.removeGroup("cpuset/" + FakeCgroupHost.V1_GUEST);
        host.removeGroup("cpuacct/" + FakeCgroupHost.V1_GUEST);

        List<StaleCleanup> cleaned = new StaleState(new Applier(threads, threads, host.fs(),
                new RecordStore(records.dir())), java.util.Optional.empty()).cleanUp();

        assertThat(cleaned).singleElement().satisfies(c -> {
            assertThat(c.complete()).isTrue();
            assertThat(c.subject()).isEqualTo("apply record of QEMU pid " + PID);
            assertThat(c.toString()).contains("QEMU has exited").contains("removed");
        });
        assertThat(host.read("cpu/machine/cpu.rt_runtime_us")).isEqualTo("0");
        assertThat(records.load(PID)).isEmpty();
        assertThat(applier().restoreExited()).as("nothing left the second time").isEmpty();
    }

    @Test
    void theLockFileOfAQemuThatExitedAfterARolledBackApplyIsRemovedQuietlyByTheNextRunUnlessHeld() {
        threads.fail(Call.SET_AFFINITY, 103, Failure.INVALID);
        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults()))
                .isInstanceOf(ApplyFailedException.class);
        Path lock = GuestLock.file(records.dir(), PID);
        assertThat(lock).as("kept while the QEMU runs").exists();
        assertThat(applier().restoreExited()).as("QEMU still running").isEmpty();
        assertThat(lock).exists();

        guest.threads().forEach(t -> threads.exit(t.tid()));
        try (GuestLock held = GuestLock.acquire(records.dir(), PID)) {
            assertThat(applier().restoreExited()).as("held by another applier").isEmpty();
            assertThat(lock).exists();
        }
        assertThat(applier().restoreExited()).as("an empty lock file is not logged").isEmpty();
        assertThat(lock).doesNotExist();
    }

    @Test
    void ioThreadsGetTheEmulatorSetInTheirOwnLibvirtGroup() {
        QemuThread io = new QemuThread(new ThreadIdentity(200, 7000), "IO iothread1",
                new ThreadRole.IoThread("iothread1"));
        List<QemuThread> all = new ArrayList<>(guest.threads());
        all.add(io);
        QemuGuest withIo = new QemuGuest(guest.process(), guest.name(), all);
        threads.add(200, 7000, ONLINE, SchedSettings.normal());
        host.thread(PID, 200, "iothread1", "0-7");

        applier().apply(plan, withIo, ApplyOptions.defaults());

        assertThat(threads.state(200)).isEqualTo(new ThreadState(CpuSet.of(0, 1), SchedSettings.normal()));
        assertThat(host.read("cpuset/" + FakeCgroupHost.V1_GUEST + "/iothread1/cpuset.cpus")).isEqualTo("0-1");
    }

    @ParameterizedTest
    @EnumSource(ApplyStep.class)
    void aFailureAfterAnyStepRollsEverythingBack(ApplyStep failingStep) {
        StepObserver failAt = step -> {
            if (step == failingStep) {
                throw new IllegalStateException("injected failure after " + step);
            }
        };

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults().withObserver(failAt)))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e.code()).isEqualTo("ApplyFailed");
                    assertThat(e.kind()).isEqualTo(io.kvmtune.core.KvmtuneException.Kind.APPLY_FAILED);
                    assertThat(e.rollback().complete()).isTrue();
                    assertThat(e).hasMessageContaining("injected failure after " + failingStep);
                });
        assertExactlyAsBefore();
    }

    @Test
    void aRefusedAffinityRollsBackAndNamesTheThread() {
        threads.fail(Call.SET_AFFINITY, 103, Failure.INVALID);

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults()))
                .isInstanceOf(ApplyFailedException.class).hasMessageContaining("vcpu2 tid 103 (CPU 2/KVM)");
        assertExactlyAsBefore();
    }

    @Test
    void aPlanNamingACpuThatDoesNotExistRollsBack() {
        TuningPlan absentCpu = TestGuests.moved(plan, 2, 9);

        assertThatThrownBy(() -> applier().apply(absentCpu, guest, ApplyOptions.defaults()))
                .isInstanceOf(ApplyFailedException.class).hasMessageContaining("Invalid argument");
        assertExactlyAsBefore();
    }

    @Test
    void aRefusedRealtimePolicyRollsBackAndPointsAtTheCgroup() {
        useLayout(Layout.BARE);
        host.put("cpu/cpu.rt_runtime_us", "0");
        originalFiles = host.files();
        threads.fail(Call.SET_SCHEDULING, 104, Failure.NOT_PERMITTED);

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults()))
                .isInstanceOf(ApplyFailedException.class)
                .hasMessageContaining("vcpu3 tid 104")
                .hasMessageContaining("cpu/cpu.rt_runtime_us is 0");
        assertExactlyAsBefore();
    }

    @Test
    void aCgroupWriteThatFailsRollsBackTheRest() {
        String removed = "cpuset/" + VCPU + "2";
        StepObserver removeGroup = step -> {
            if (step == ApplyStep.RECORD_SAVED) {
                host.removeGroup(removed);
            }
        };

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults().withObserver(removeGroup)))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e).hasMessageContaining("cannot write '4' to " + removed + "/cpuset.cpus");
                    assertThat(e.rollback().items()).anySatisfy(i -> {
                        assertThat(i.what()).isEqualTo(removed + "/cpuset.cpus");
                        assertThat(i.outcome()).isEqualTo(Outcome.GONE);
                    });
                });
        originalFiles.keySet().removeIf(f -> f.startsWith(removed + "/"));
        assertExactlyAsBefore();
    }

    @Test
    void aVcpuThreadThatExitsMidApplyFailsTheApplyAndIsReportedGone() {
        StepObserver kill = step -> {
            if (step == ApplyStep.AFFINITY) {
                threads.exit(103);
            }
        };

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults().withObserver(kill)))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e).hasMessageContaining("vcpu2 tid 103");
                    assertThat(e.rollback().complete()).isTrue();
                    assertThat(e.rollback().items()).filteredOn(i -> i.what().startsWith("vcpu2 tid 103"))
                            .extracting(RestoreItem::outcome).containsOnly(Outcome.GONE);
                });
        originalThreads.remove(103);
        assertExactlyAsBefore();
    }

    @Test
    void aVcpuThreadGoneBeforeApplyFailsWithoutChangingAnything() {
        threads.exit(102);
        originalThreads.remove(102);

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults()))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e).hasMessageContaining("vcpu1 tid 102 (CPU 1/KVM) has exited")
                            .hasMessageEndingWith("nothing was changed");
                    assertThat(e.rollback().items()).isEmpty();
                });
        assertThat(threads.changes()).isZero();
        assertExactlyAsBefore();
    }

    @Test
    void aRollbackThatCannotPutSomethingBackSaysWhat() {
        StepObserver breakRestore = step -> {
            if (step == ApplyStep.VERIFIED) {
                threads.fail(Call.SET_SCHEDULING, 102, Failure.OTHER);
                throw new IllegalStateException("injected");
            }
        };

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults().withObserver(breakRestore)))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e.code()).isEqualTo("RollbackIncomplete");
                    assertThat(e.rollback().failures()).singleElement()
                            .satisfies(i -> assertThat(i.what()).isEqualTo("vcpu1 tid 102 scheduling"));
                    assertThat(e).hasMessageContaining("rolling back failed for: [vcpu1 tid 102 scheduling: failed");
                });
        assertThat(threads.state(102).sched().label()).isEqualTo("fifo:1");
        assertThat(threads.state(103)).isEqualTo(originalThreads.get(103));
        assertThat(records.load(PID)).as("record kept for a later restore").isPresent();
    }

    @Test
    void anEmulatorWorkerThatExitsIsReportedNotFatal() {
        threads.exit(106);

        ApplyReport report = applier().apply(plan, guest, ApplyOptions.defaults());

        assertThat(report.threads()).filteredOn(t -> t.identity().tid() == 106).singleElement()
                .satisfies(t -> assertThat(t.gone()).isTrue());
        assertThat(applier().verify(PID)).isEmpty();
    }

    @Test
    void aReusedThreadIdIsNeverTouched() {
        threads.exit(105);
        threads.add(105, 99_999, ONLINE, SchedSettings.normal());

        ApplyReport report = applier().apply(plan, guest, ApplyOptions.defaults());

        assertThat(threads.state(105)).isEqualTo(new ThreadState(ONLINE, SchedSettings.normal()));
        assertThat(report.threads()).filteredOn(t -> t.identity().tid() == 105).singleElement()
                .satisfies(t -> assertThat(t.gone()).isTrue());
    }

    @Test
    void aPlanForMoreVcpusThanPluggedInTunesThosePresentAndReapplyTunesOnesPluggedInLater() {
        QemuGuest pluggedIn = new QemuGuest(guest.process(), guest.name(), guest.threads().stream()
                .filter(t -> !(t.role() instanceof ThreadRole.Vcpu v) || v.index() < 2).toList());

        // The realtime runtime is shared anew when vCPUs are plugged in: vCPU 1 has all of it first.
        ApplyOptions options = ApplyOptions.defaults();
        applier().apply(plan, pluggedIn, options);
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("950000");

        assertThat(ThreadTargets.absentVcpus(plan, pluggedIn)).containsExactly(2, 3);
        assertThat(applier().verify(plan, pluggedIn)).as("absent vCPUs are no difference").isEmpty();
        assertThat(threads.state(103)).as("vCPU 2 not plugged in: untouched").isEqualTo(originalThreads.get(103));
        assertThat(applier().verify(plan, guest)).as("plugged in now, not tuned")
                .anyMatch(d -> d.startsWith("vcpu2 tid 103 (CPU 2/KVM): affinity is 0-7, plan says 4"));

        applier().reapply(guest, options);

        assertThat(applier().verify(PID, guest)).isEmpty();
        assertThat(threads.state(104).sched().label()).isEqualTo("fifo:1");
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("316666");
        assertThat(host.read("cpu/" + VCPU + "3/cpu.rt_runtime_us")).isEqualTo("316666");
        // vCPU 3 unplugged again: restore puts back the rest and reports it gone.
        threads.exit(104);
        RestoreReport report = applier().restore(PID);
        assertThat(report.complete()).isTrue();
        assertThat(report.items()).filteredOn(i -> i.what().startsWith("vcpu3 "))
                .extracting(RestoreItem::outcome).containsOnly(Outcome.GONE);
        originalThreads.remove(104);
        assertThat(states()).isEqualTo(originalThreads);
    }

    @Test
    void anApplyToSomeThreadsKeepsTheRealtimeRuntimeOfTheGuestsOtherRealtimeThreads() {
        // the agent tunes each thread as it is born, and repairs one at a time: vCPU 1 first, then the
        // non-realtime vCPU 0 alone, then vCPU 2 alone (tids 101 + n); vCPU 1's group must never be emptied under it
        applier().apply(plan, only(102), ApplyOptions.defaults());
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("950000");

        applier().apply(plan, only(101), ApplyOptions.defaults());
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).as("after vCPU 0 alone").isEqualTo("950000");

        applier().apply(plan, only(103), ApplyOptions.defaults());
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).as("shared with vCPU 2").isEqualTo("475000");
        assertThat(host.read("cpu/" + VCPU + "2/cpu.rt_runtime_us")).isEqualTo("475000");
        assertThat(threads.state(102).sched().label()).isEqualTo("fifo:1");

        assertThat(applier().restore(PID).complete()).isTrue();
        assertExactlyAsBefore();
    }

    @Test
    void threadsTunedOneAtATimeAreAddedToTheRecordsJournalAndAnotherProcessRestoresThemAll() throws Exception {
        applier().apply(plan, only(102), ApplyOptions.defaults());
        Optional<FileVersion> whole = FileVersion.of(records.file(PID));

        applier().apply(plan, only(101), ApplyOptions.defaults());
        applier().apply(plan, only(103), ApplyOptions.defaults());

        assertThat(FileVersion.of(records.file(PID))).as("the record as the first apply wrote it").isEqualTo(whole);
        assertThat(Files.readAllLines(records.journal(PID))).as("a line for each thread added").hasSize(2);
        RestoreReport report = new Applier(threads, threads, host.fs(), new RecordStore(records.dir())).restore(PID);
        assertThat(report.complete()).isTrue();
        assertExactlyAsBefore();
        assertThat(records.journal(PID)).doesNotExist();
    }

    @Test
    void theRealtimeBudgetBookAnotherProcessChangedIsReadAgainByTheNextApply() {
        addOtherRealtimeGuest();
        Applier resident = applier();
        resident.apply(plan, only(102), ApplyOptions.defaults());
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("950000");

        anotherProcessesBook().hold(OTHER_QEMU, List.of(OTHER_VCPU), OptionalLong.empty());
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("475000");

        resident.apply(plan, only(103), ApplyOptions.defaults());
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).as("a third each, the other guest's vCPU counted")
                .isEqualTo("316666");
        assertThat(host.read("cpu/" + VCPU + "2/cpu.rt_runtime_us")).isEqualTo("316666");
        assertThat(host.read("cpu/" + OTHER_GUEST + "/vcpu1/cpu.rt_runtime_us")).isEqualTo("316666");
    }

    /** vCPU 1 (tid 102) just plugged in: in emulator, whose cpuset allows 0-1, with no vcpu1 cpuset yet. */
    private void vcpu1PluggedIntoNarrowedEmulator() {
        host.thread(PID, 102, "emulator", "0-1");
        host.put("cpuset/" + FakeCgroupHost.V1_GUEST + "/emulator/cpuset.cpus", "0-1");
        host.put("cpuset/" + FakeCgroupHost.V1_GUEST + "/tasks", "");
        host.removeGroup("cpuset/" + VCPU + "1");
    }

    @Test
    void aVcpuPluggedInIsLiftedOutOfTheEmulatorCpusetAndTunedBeforeLibvirtPlacesIt() {
        // QEMU creates a vCPU plugged in in emulator, whose cpuset kvmtune narrowed to the emulator's
        // pCPUs, and whose cpu group has no runtime: vCPU 1 (tid 102) gets neither pCPU 3 nor
        // SCHED_FIFO there until libvirt moves it into vcpu1
        String guestGroup = FakeCgroupHost.V1_GUEST;
        vcpu1PluggedIntoNarrowedEmulator();
        host.removeGroup("cpu/" + VCPU + "1");
        host.put("cpu/" + VCPU + "1/cpu.rt_runtime_us", "0"); // what the kernel puts in the group made ahead
        host.put("cpu/" + VCPU + "1/cpu.rt_period_us", "1000000");

        ApplyReport report = applier().apply(plan, only(102), ApplyOptions.defaults());

        assertThat(host.read("cpuset/" + guestGroup + "/tasks")).isEqualTo("102");
        assertThat(threads.state(102)).isEqualTo(new ThreadState(CpuSet.of(3), originalThreads.get(102).sched()
                .with(SchedPolicy.FIFO, 1)));
        assertThat(host.read("cpu/" + guestGroup + "/emulator/cpu.rt_runtime_us")).as("where it runs until placed")
                .isEqualTo("475000");
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).as("ready for libvirt's move").isEqualTo("475000");
        assertThat(host.read("cpu/" + guestGroup + "/cpu.rt_runtime_us")).isEqualTo("950000");
        assertThat(host.read("cpuset/" + guestGroup + "/emulator/cpuset.cpus")).isEqualTo("0-1");
        assertThat(report.realtime()).extracting(RtGrant::vcpu).containsExactly("vcpu1");
    }

    @Test
    void aLiftedVcpuGoesBackWhereItWasBornWhenTheApplyFails() {
        String guestGroup = FakeCgroupHost.V1_GUEST;
        vcpu1PluggedIntoNarrowedEmulator();
        host.put("cpuset/" + guestGroup + "/emulator/tasks", "");
        // the kernel's side of the lift, which the fake tree's tasks file does not do
        threads.after(Call.SET_AFFINITY, 102, () -> host.threadInGuestGroup(PID, 102));
        threads.fail(Call.SET_SCHEDULING, 102, Failure.NOT_PERMITTED);

        assertThatThrownBy(() -> applier().apply(plan, only(102), ApplyOptions.defaults()))
                .isInstanceOf(ApplyFailedException.class);

        assertThat(host.read("cpuset/" + guestGroup + "/emulator/tasks")).isEqualTo("102");
        assertThat(threads.state(102)).isEqualTo(originalThreads.get(102));
        assertThat(host.read("cpu/machine/cpu.rt_runtime_us")).isEqualTo("0");
    }

    @Test
    void aLiftedVcpuThatLibvirtPlacedDuringTheApplyStaysWhereLibvirtPutIt() {
        // libvirt's move into vcpu1 (its cpuset allowing 0-7) between the change and the read-back
        // resets the affinity the apply set: the apply fails, and its rollback must not take the
        // thread out of vcpu1 again, back into the narrowed emulator cpuset for good
        vcpu1PluggedIntoNarrowedEmulator();
        host.put("cpuset/" + FakeCgroupHost.V1_GUEST + "/emulator/tasks", "");
        threads.after(Call.SET_SCHEDULING, 102, () -> {
            host.thread(PID, 102, "vcpu1", "0-7");
            threads.setAffinity(102, ONLINE);
        });

        assertThatThrownBy(() -> applier().apply(plan, only(102), ApplyOptions.defaults()))
                .isInstanceOf(ApplyFailedException.class).hasMessageContaining("affinity is 0-7, plan says 3");

        assertThat(host.read("cpuset/" + FakeCgroupHost.V1_GUEST + "/emulator/tasks")).as("not moved back").isEmpty();
    }

    @Test
    void aVcpuLibvirtPlacesAfterTheSurveyIsNotLiftedOutOfItsOwnCpusetAgain() {
        // libvirt makes vcpu1's cpuset group and moves the plugged vCPU into it after the apply
        // found it in emulator and before the apply's changes: a lift then would take it out again,
        // into the guest's own cpuset, where libvirt never looks for it
        vcpu1PluggedIntoNarrowedEmulator();
        StepObserver libvirtPlacesIt = step -> {
            if (step == ApplyStep.RECORD_SAVED) {
                host.thread(PID, 102, "vcpu1", "0-7");
                threads.setAffinity(102, ONLINE);
            }
        };

        applier().apply(plan, only(102), ApplyOptions.defaults().withObserver(libvirtPlacesIt));

        assertThat(host.read("cpuset/" + FakeCgroupHost.V1_GUEST + "/tasks")).as("not lifted").isEmpty();
        assertThat(threads.state(102)).isEqualTo(new ThreadState(CpuSet.of(3), originalThreads.get(102).sched()
                .with(SchedPolicy.FIFO, 1)));
    }

    @Test
    void aVcpuWhoseGroupLibvirtHasMadeButNotMovedItIntoYetGoesIntoThatGroupAndIsTuned() {
        // libvirt places a plugged vCPU in steps: it makes vcpu1, sets its cpuset, then moves the
        // thread. An apply between the two last steps finds the thread in the narrowed emulator
        // cpuset, which refuses pCPU 3; a lift into the guest's own cpuset could undo libvirt's
        // move, so the thread goes where libvirt is about to move it
        String guestGroup = FakeCgroupHost.V1_GUEST;
        vcpu1PluggedIntoNarrowedEmulator();
        host.put("cpuset/" + VCPU + "1/cpuset.cpus", "0-7");
        host.put("cpuset/" + VCPU + "1/tasks", "");

        applier().apply(plan, only(102), ApplyOptions.defaults());

        assertThat(host.read("cpuset/" + VCPU + "1/tasks")).isEqualTo("102");
        assertThat(host.read("cpuset/" + guestGroup + "/tasks")).as("not lifted into the guest's cpuset").isEmpty();
        assertThat(threads.state(102)).isEqualTo(new ThreadState(CpuSet.of(3), originalThreads.get(102).sched()
                .with(SchedPolicy.FIFO, 1)));
    }

    @Test
    void theEmulatorCpusetIsNarrowedOnlyOnceLibvirtHasPlacedTheVcpusBornInIt() {
        // libvirt 9 starts QEMU in emulator, and QEMU creates its vCPU threads there: narrowed to the
        // emulator's pCPUs 0-1, the cpuset would keep vCPU 1 from pCPU 3 until libvirt places it
        String guestGroup = FakeCgroupHost.V1_GUEST;
        for (int vcpu = 0; vcpu < 4; vcpu++) {
            host.removeGroup("cpuset/" + VCPU + vcpu);
            host.thread(PID, 101 + vcpu, "emulator", "0-7");
        }

        applier().apply(plan, only(100, 105, 106), ApplyOptions.defaults());
        applier().apply(plan, only(102), ApplyOptions.defaults());

        assertThat(host.read("cpuset/" + guestGroup + "/emulator/cpuset.cpus")).isEqualTo("0-7");
        assertThat(threads.state(100).affinity()).isEqualTo(CpuSet.of(0, 1));
        assertThat(threads.state(102).affinity()).isEqualTo(CpuSet.of(3));

        for (int vcpu = 0; vcpu < 4; vcpu++) {
            host.thread(PID, 101 + vcpu, "vcpu" + vcpu, "0-7");
        }
        applier().apply(plan, only(100, 105, 106), ApplyOptions.defaults());

        assertThat(host.read("cpuset/" + guestGroup + "/emulator/cpuset.cpus")).isEqualTo("0-1");
    }

    @Test
    void aThreadReadAsPlannedIsNotCheckedThroughItsPinAndOneThatDiffersIs() {
        applier().apply(plan, guest, ApplyOptions.defaults());
        ThreadTarget vcpu1 = ThreadTargets.of(plan, only(102)).getFirst();
        AtomicInteger asked = new AtomicInteger();
        ThreadPin counting = () -> asked.incrementAndGet() > 0;

        assertThat(applier().state(vcpu1, counting)).hasValue(threads.state(102));
        assertThat(asked).as("as planned: nothing to act on, nothing to confirm").hasValue(0);

        ThreadPin pin = applier().pin(vcpu1.thread().identity());
        threads.exit(102);
        threads.add(102, 999, ONLINE, SchedSettings.normal());
        assertThat(applier().state(vcpu1, pin)).as("another thread with the id, not as planned").isEmpty();
    }

    @Test
    void theEmulatorCpusetAllowsThePcpusOfVcpusNotPluggedInSoThatAPlugIsTunedWithoutAMove() {
        // vCPUs 2 and 3 (pCPUs 4 and 5) not plugged in: libvirt has made no vcpu2 or vcpu3 group
        String emulatorCpus = "cpuset/" + FakeCgroupHost.V1_GUEST + "/emulator/cpuset.cpus";
        host.removeGroup("cpuset/" + VCPU + "2");
        host.removeGroup("cpuset/" + VCPU + "3");
        QemuGuest twoPluggedIn = only(100, 101, 102, 105, 106);

        applier().apply(plan, twoPluggedIn, ApplyOptions.defaults());

        assertThat(host.read(emulatorCpus)).isEqualTo("0-1,4-5");
        for (int emulator : new int[] {100, 105, 106}) {
            assertThat(threads.state(emulator).affinity()).as("the emulator threads by their affinity")
                    .isEqualTo(CpuSet.of(0, 1));
        }
        assertThat(applier().verify(plan, twoPluggedIn)).isEmpty();

        // vCPU 2 plugged in: QEMU creates it in emulator, with its creator's affinity
        host.thread(PID, 103, "emulator", "0-7");
        threads.setAffinity(103, CpuSet.of(0, 1));
        applier().apply(plan, only(103), ApplyOptions.defaults());

        assertThat(host.read("cpuset/" + FakeCgroupHost.V1_GUEST + "/tasks")).as("not lifted").isEmpty();
        assertThat(threads.state(103)).isEqualTo(new ThreadState(CpuSet.of(4), originalThreads.get(103).sched()
                .with(SchedPolicy.FIFO, 1)));

        // libvirt places it in vcpu2: the next apply to the guest narrows emulator to what is still to come
        host.thread(PID, 103, "vcpu2", "0-7");
        applier().apply(plan, only(100, 103, 105, 106), ApplyOptions.defaults());

        assertThat(host.read(emulatorCpus)).isEqualTo("0-1,5");
        assertThat(threads.state(100).affinity()).isEqualTo(CpuSet.of(0, 1));
        assertThat(applier().verify(plan, only(100, 101, 102, 103, 105, 106))).isEmpty();
    }

    @Test
    void aRealtimeVcpuBornBeforeLibvirtPlacedTheProcessGetsRuntimeInTheGroupsLibvirtMovesItThrough() {
        // an older libvirt moves the whole process into emulator only once QEMU is up: vCPU 1 (tid 102)
        // is born in the guest's own group, then goes through emulator into vcpu1, and libvirt's moves
        // of a SCHED_FIFO thread succeed only into groups that have runtime by then
        host.threadInGuestGroup(PID, 100);
        host.threadInGuestGroup(PID, 102);
        String emulator = "cpu/" + FakeCgroupHost.V1_GUEST + "/emulator/cpu.rt_runtime_us";

        applier().apply(plan, only(102), ApplyOptions.defaults());

        assertThat(threads.state(102)).isEqualTo(new ThreadState(CpuSet.of(3), originalThreads.get(102).sched()
                .with(SchedPolicy.FIFO, 1)));
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("475000");
        assertThat(host.read(emulator)).isEqualTo("475000");
        assertThat(host.read("cpu/" + FakeCgroupHost.V1_GUEST + "/cpu.rt_runtime_us")).isEqualTo("950000");
        assertThat(host.read("cpuset/" + VCPU + "1/cpuset.cpus")).as("not its group yet: left to libvirt").isEqualTo("0-7");

        // libvirt's move of the process: vCPU 1 sits in emulator, SCHED_FIFO; the emulator threads'
        // apply keeps emulator's runtime, the non-realtime vCPU 0's keeps both
        host.thread(PID, 100, "emulator", "0-7");
        host.thread(PID, 102, "emulator", "0-7");
        host.put("cpu/" + FakeCgroupHost.V1_GUEST + "/emulator/tasks", "100\n102\n105\n106");
        applier().apply(plan, only(100, 105, 106), ApplyOptions.defaults());
        applier().apply(plan, only(101), ApplyOptions.defaults());
        assertThat(host.read(emulator)).isEqualTo("475000");
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("475000");

        // placed in vcpu1: the next apply to it gives emulator's runtime back, vcpu1 has it all
        host.thread(PID, 102, "vcpu1", "0-7");
        host.put("cpu/" + FakeCgroupHost.V1_GUEST + "/emulator/tasks", "100\n105\n106");
        ApplyReport placed = applier().apply(plan, only(102), ApplyOptions.defaults());

        assertThat(host.read(emulator)).isEqualTo("0");
        assertThat(host.read("cpu/" + VCPU + "1/cpu.rt_runtime_us")).isEqualTo("950000");
        assertThat(placed.realtime()).extracting(RtGrant::vcpu).containsExactly("vcpu1");
        assertThat(applier().restore(PID).complete()).isTrue();
        assertThat(host.read("cpu/machine/cpu.rt_runtime_us")).isEqualTo("0");
    }

    @Test
    void aGroupMadeAheadOfLibvirtIsRemovedAgainWhenTheApplyFails() {
        // a fake tree has no kernel to fill a new group with its files: reading its runtime fails
        host.threadInGuestGroup(PID, 100);
        host.threadInGuestGroup(PID, 102);
        host.removeGroup("cpu/" + VCPU + "1");

        assertThatThrownBy(() -> applier().apply(plan, only(102), ApplyOptions.defaults()))
                .isInstanceOf(ApplyFailedException.class).hasMessageContaining("vcpu1/cpu.rt_runtime_us");

        assertThat(dir.resolve(Layout.V1_LIBVIRT.name()).resolve("cgroup/cpu/" + VCPU + "1")).doesNotExist();
        assertThat(threads.state(102)).isEqualTo(originalThreads.get(102));
    }

    @Test
    void anApplyWhoseGuestHoldsItsRealtimeGroupsAlreadySharesNothingAnew() throws Exception {
        applier().apply(plan, only(102), ApplyOptions.defaults());
        Path book = records.dir().resolve(RtBudgetBook.FILE_NAME);
        String held = Files.readString(book);
        threads.setScheduling(102, SchedSettings.normal()); // someone took vCPU 1's policy away

        ApplyReport again = applier().apply(plan, only(102), ApplyOptions.defaults());

        assertThat(threads.state(102).sched().label()).isEqualTo("fifo:1");
        assertThat(again.cgroupFiles()).as("no cpu.rt_runtime_us written")
                .noneMatch(f -> f.file().name().equals("cpu.rt_runtime_us"));
        assertThat(Files.readString(book)).isEqualTo(held);
        assertThat(again.realtime()).singleElement().satisfies(g -> {
            assertThat(g.vcpu()).isEqualTo("vcpu1");
            assertThat(g.runtimeUs()).as("read from the group").isEqualTo(950000);
        });
    }

    @Test
    void aPlanForAnotherGuestIsRefusedBeforeAnythingChanges() {
        TuningPlan twoVcpus = TestGuests.realtimePlan(2, 2, CpuSet.of(0), false);

        assertThatThrownBy(() -> applier().apply(twoVcpus, guest, ApplyOptions.defaults()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("the guest has vCPU 2");
        assertExactlyAsBefore();
    }

    @Test
    void writesCpusetsInLibvirtV2ThreadedGroupsWithoutRealtimeRuntime() {
        useLayout(Layout.V2_SYSTEMD);

        ApplyReport report = applier().apply(plan, guest, ApplyOptions.defaults());

        assertThat(host.read(FakeCgroupHost.V2_GUEST + "/vcpu1/cpuset.cpus")).isEqualTo("3");
        assertThat(host.read(FakeCgroupHost.V2_GUEST + "/emulator/cpuset.cpus")).isEqualTo("0-1");
        assertThat(host.read("machine.slice/cpuset.cpus")).isEmpty();
        assertThat(report.cgroupFiles()).extracting(f -> f.file().name()).containsOnly("cpuset.cpus");
        applier().restore(PID);
        assertExactlyAsBefore();
    }

    @Test
    void aBareQemuGetsNoCgroupWrites() {
        useLayout(Layout.BARE);

        ApplyReport report = applier().apply(plan, guest, ApplyOptions.defaults());

        assertThat(report.cgroupFiles()).isEmpty();
        assertThat(host.files()).isEqualTo(originalFiles);
        assertThat(threads.state(104).sched().label()).isEqualTo("fifo:1");
    }

    @Test
    void aBareQemuIsAppliedFromItsMainThreadsGroupsWithoutReadingEachThreads() throws Exception {
        useLayout(Layout.BARE);
        // only the main thread's groups remain readable: any per-thread read would find the
        // thread gone and fail the apply
        for (QemuThread t : guest.threads()) {
            if (t.tid() != PID) {
                Files.delete(dir.resolve("BARE/proc/" + PID + "/task/" + t.tid() + "/cgroup"));
            }
        }

        ApplyReport report = applier().apply(plan, guest, ApplyOptions.defaults());

        assertThat(report.threads()).noneMatch(ThreadChange::gone);
        assertThat(threads.state(104).sched().label()).isEqualTo("fifo:1");
        assertThat(host.files()).isEqualTo(originalFiles);
    }

    @Test
    void aThreadIdReusedBetweenSurveyAndReadBackFailsTheApply() {
        // vCPU 1 (tid 102) exits right after the record is saved and a new thread takes its id:
        // the changes land on the newcomer, and the read-back's identity check must catch it
        StepObserver reuse = step -> {
            if (step == ApplyStep.RECORD_SAVED) {
                threads.exit(102);
                threads.add(102, 77_777, ONLINE, SchedSettings.normal());
            }
        };

        assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults().withObserver(reuse)))
                .isInstanceOf(ApplyFailedException.class).hasMessageContaining("vcpu1 tid 102")
                .hasMessageContaining("has exited");
        assertThat(records.load(PID)).as("the record is removed with the rollback").isEmpty();
    }

    @Test
    void verifyListsOneLinePerDifference() {
        applier().apply(plan, guest, ApplyOptions.defaults());
        assertThat(applier().verify(PID)).isEmpty();

        threads.setAffinity(102, CpuSet.of(0, 1, 2, 3));
        threads.setScheduling(104, SchedSettings.normal());
        host.put("cpuset/" + VCPU + "0/cpuset.cpus", "2-3");

        assertThat(applier().verify(PID)).containsExactlyInAnyOrder(
                "vcpu1 tid 102 (CPU 1/KVM): affinity is 0-3, plan says 3",
                "vcpu3 tid 104 (CPU 3/KVM): scheduling is other, plan says fifo:1",
                "cpuset/" + VCPU + "0/cpuset.cpus is 2-3, plan says 2");
    }

    @Test
    void verifyAgainstAPlanWithoutRecord() {
        // Untouched: 7 threads off their pCPUs (vCPUs 1-3 also not fifo), 5 libvirt cpusets on 0-7.
        assertThat(applier().verify(plan, guest)).hasSize(7 + 3 + 5);
        assertThatThrownBy(() -> applier().verify(PID)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no apply record for QEMU pid 100");
    }

    @Test
    void unlockedMemoryIsAWarningOrUnderStrictAFailureThatChangesNothing() {
        TuningPlan locked = TestGuests.realtimePlan(4, 2, CpuSet.of(0, 1), true);

        assertThatThrownBy(() -> applier().apply(locked, guest, ApplyOptions.defaults().withStrict(true)))
                .isInstanceOf(ApplyFailedException.class).hasMessageContaining("not locked");
        assertExactlyAsBefore();

        ApplyReport report = applier().apply(locked, guest, ApplyOptions.defaults());
        assertThat(report.warnings()).singleElement().asString().contains("-overcommit mem-lock=on");
        assertThat(applier().verify(PID)).singleElement().asString().contains("not locked");
    }

    @Test
    void raisesMemlockWhenAskedAndGivesItBackOnRestore() {
        TuningPlan locked = TestGuests.realtimePlan(4, 2, CpuSet.of(0, 1), true);
        threads.setLockedBytes(64 << 20);
        ResourceLimit before = threads.memlockLimit(PID);

        ApplyReport report = applier().apply(locked, guest, ApplyOptions.defaults().withRaisedMemlock(OptionalLong.empty()));

        assertThat(threads.memlockLimit(PID)).isEqualTo(ResourceLimit.unlimited());
        assertThat(report.memory()).get().satisfies(m -> {
            assertThat(m.locked()).isTrue();
            assertThat(m.limitBefore()).contains(before);
            assertThat(m.limitAfter()).contains(ResourceLimit.unlimited());
        });
        applier().restore(PID);
        assertThat(threads.memlockLimit(PID)).isEqualTo(before);
    }

    @Test
    void aDryRunReportsWithoutChangingOrSaving() {
        ApplyReport report = applier().apply(plan, guest, ApplyOptions.defaults().withDryRun(true));

        assertThat(report.dryRun()).isTrue();
        assertThat(report.changed()).isTrue();
        assertThat(report.threads()).filteredOn(t -> t.role() instanceof ThreadRole.Vcpu v && v.index() == 1)
                .singleElement().satisfies(t -> assertThat(t.after().orElseThrow().sched().policy()).isEqualTo(SchedPolicy.FIFO));
        assertThat(threads.changes()).isZero();
        assertExactlyAsBefore();
    }

    @Test
    void theRecordSurvivesAJsonRoundTrip() throws Exception {
        applier().apply(plan, guest, ApplyOptions.defaults().withQmpSocket("/tmp/qmp.sock"));

        String text = Files.readString(records.file(PID));
        ApplyRecord record = ApplyRecord.fromJson(text);

        assertThat(record.qmpSocket()).contains("/tmp/qmp.sock");
        assertThat(record.plan()).isEqualTo(plan);
        assertThat(Json.pretty(record) + "\n").isEqualTo(text);
        assertThat(record.snapshot().rtRuntimes()).as("kept in the host-wide book instead").isEmpty();
        assertThat(Json.parseObject(Files.readString(records.dir().resolve(RtBudgetBook.FILE_NAME)))
                .objects("baselines")).hasSize(5);
    }

    @Test
    void showListsEveryThreadWithItsGroup() {
        assertThat(applier().show(guest)).hasSize(7).first().satisfies(row -> {
            assertThat(row.thread().tid()).isEqualTo(101);
            assertThat(row.cpusetGroup()).contains("cpuset:/" + VCPU + "0");
            assertThat(row.state()).contains(new ThreadState(ONLINE, SchedSettings.normal()));
        });
    }

    private QemuGuest only(int... tids) {
        List<QemuThread> listed = new ArrayList<>();
        for (int tid : tids) {
            guest.threads().stream().filter(t -> t.tid() == tid).forEach(listed::add);
        }
        return new QemuGuest(guest.process(), guest.name(), listed);
    }

    @Test
    void aThreadTheCallerHoldsIsCheckedThroughTheCallersPinWhichStaysOpen() {
        QemuThread vcpu1 = only(102).threads().getFirst();
        AtomicInteger checks = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        ThreadPin held = new ThreadPin() {
            @Override
            public boolean alive() {
                checks.incrementAndGet();
                return true;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };

        applier().apply(plan, only(102), ApplyOptions.defaults(), Map.of(vcpu1.identity(), held));

        assertThat(threads.state(102).affinity()).isEqualTo(CpuSet.of(3));
        assertThat(threads.state(102).sched().label()).isEqualTo("fifo:1");
        assertThat(checks).as("checked before the change and in the read-back").hasValueGreaterThanOrEqualTo(2);
        assertThat(closed).as("the caller's to close").isFalse();
    }

    @Test
    void aThreadWhosePinSaysItIsGoneIsNotChangedThoughItsIdNamesAThreadNow() {
        QemuThread vcpu1 = only(102).threads().getFirst();

        // the caller's pin speaks for the thread the caller found, whatever the id names now
        assertThatThrownBy(() -> applier().apply(plan, only(102), ApplyOptions.defaults(),
                Map.of(vcpu1.identity(), () -> false)))
                .isInstanceOf(ApplyFailedException.class).hasMessageContaining(Differences.gone(vcpu1));
        assertExactlyAsBefore();
    }

    @Test
    void applyToAGuestListingOnlyANewVcpuTunesItAloneAndAddsItToTheRecord() {
        applier().apply(plan, only(101), ApplyOptions.defaults());

        assertThat(threads.state(101).affinity()).isEqualTo(CpuSet.of(2));
        assertThat(threads.state(102)).isEqualTo(originalThreads.get(102));
        assertThat(records.load(PID).orElseThrow().snapshot().threads()).extracting(t -> t.identity().tid())
                .containsExactly(101);

        applier().apply(plan, only(103), ApplyOptions.defaults());

        assertThat(threads.state(103).affinity()).isEqualTo(CpuSet.of(4));
        assertThat(threads.state(103).sched().label()).isEqualTo("fifo:1");
        assertThat(records.load(PID).orElseThrow().snapshot().threads()).extracting(t -> t.identity().tid())
                .containsExactly(101, 103);
        applier().restore(PID);
        assertExactlyAsBefore();
    }

    @Test
    void applyRefusesAVcpuThePlanDoesNotPlace() {
        QemuGuest stranger = new QemuGuest(guest.process(), guest.name(), List.of(
                new QemuThread(new ThreadIdentity(150, 9000), "CPU 9/KVM", new ThreadRole.Vcpu(9))));

        assertThatThrownBy(() -> applier().apply(plan, stranger, ApplyOptions.defaults()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("vCPU 9");
        assertExactlyAsBefore();
    }

    @Test
    void whoeverComesSecondWhileTheGuestIsLockedChangesNothing() {
        try (GuestLock held = GuestLock.acquire(records.dir(), PID)) {
            assertThatThrownBy(() -> applier().apply(plan, guest, ApplyOptions.defaults()))
                    .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                        assertThat(e.guestBusy()).isTrue();
                        assertThat(e.code()).isEqualTo("GuestBusy");
                        assertThat(e.rollback().items()).isEmpty();
                    });
            assertThatThrownBy(() -> applier().apply(plan, only(101), ApplyOptions.defaults()))
                    .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(e.guestBusy()).isTrue());
            assertExactlyAsBefore();
            // a dry run changes nothing, so it needs no lock
            assertThat(applier().apply(plan, guest, ApplyOptions.defaults().withDryRun(true)).dryRun()).isTrue();
        }
        applier().apply(plan, guest, ApplyOptions.defaults());
        assertThat(threads.state(102).sched().label()).isEqualTo("fifo:1");
    }

    @Test
    void restoreTakesTheGuestLockToo() {
        applier().apply(plan, guest, ApplyOptions.defaults());
        try (GuestLock held = GuestLock.acquire(records.dir(), PID)) {
            assertThatThrownBy(() -> applier().restore(PID))
                    .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(e.guestBusy()).isTrue());
        }
        applier().restore(PID);
        assertExactlyAsBefore();
    }

    @Test
    void restoringAnExitedGuestAlsoRemovesItsLockFile() {
        applier().apply(plan, guest, ApplyOptions.defaults());
        assertThat(GuestLock.file(records.dir(), PID)).exists();
        guest.threads().forEach(t -> threads.exit(t.tid()));

        assertThat(applier().restore(PID).complete()).isTrue();

        assertThat(GuestLock.file(records.dir(), PID)).doesNotExist();
    }
}
