package io.kvmtune.hostprep;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.tune.TunableChange;
import io.kvmtune.hostprep.tune.TunableOptions;
import io.kvmtune.hostprep.tune.TunablePlan;
import io.kvmtune.hostprep.tune.TuneResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan / apply / restore of runtime tunables on a fake tree (plain files stand in for kernel files). */
class HostTunerTest {

    private static final Partition PARTITION = new Partition(CpuSet.range(2, 7), CpuSet.range(0, 1));

    @TempDir
    Path root;
    @TempDir
    Path state;

    private FakeHost host;
    private HostPrep prep;
    private Path backup;

    @BeforeEach
    void host() {
        host = FakeHost.baseline(root, "6.12.9", "SMP PREEMPT_DYNAMIC", 8, 1).cgroupV2("cpuset cpu memory");
        prep = host.hostPrep();
        backup = state.resolve("var/lib/kvmtune/hostprep-backup.json");
    }

    private Map<String, String> snapshot(TunablePlan plan) {
        Map<String, String> files = new LinkedHashMap<>();
        plan.paths().forEach(p -> files.put(p, host.read(p)));
        return files;
    }

    @Test
    void planListsEachDifferenceWithBeforeAndAfterAndChangesNothing() {
        TunablePlan plan = prep.plan(PARTITION, TunableOptions.defaults());
        Map<String, String> before = snapshot(plan);

        assertThat(plan.changes()).extracting(TunableChange::id).contains(
                "sysctl.kernel.sched_rt_runtime_us", "sysctl.kernel.timer_migration", "sysctl.vm.stat_interval",
                "sysctl.kernel.nmi_watchdog", "sysctl.kernel.hung_task_timeout_secs", "irq.24.affinity",
                "irq.25.affinity", "irq.default-affinity", "workqueue.cpumask", "workqueue.writeback.cpumask",
                "thp.enabled", "cpufreq.cpu2.governor", "cpufreq.cpu7.governor");
        assertThat(plan.changes()).extracting(TunableChange::id).doesNotContain("cpufreq.cpu0.governor");
        TunableChange thp = plan.changes().stream().filter(c -> c.id().equals("thp.enabled")).findFirst().orElseThrow();
        assertThat(thp.before()).isEqualTo("always");
        assertThat(thp.after()).isEqualTo("never");
        TunableChange mask = plan.changes().stream().filter(c -> c.id().equals("irq.default-affinity")).findFirst().orElseThrow();
        assertThat(mask.before()).isEqualTo("ff");
        assertThat(mask.after()).isEqualTo("3");
        assertThat(snapshot(plan)).isEqualTo(before);
        assertThat(backup).doesNotExist();
    }

    @Test
    void applyRecordsOriginalsFirstThenASecondApplyChangesNothingAndRestorePutsBackExactly() throws Exception {
        TunablePlan plan = prep.plan(PARTITION, TunableOptions.defaults());
        Map<String, String> original = snapshot(plan);

        TuneResult applied = prep.apply(PARTITION, TunableOptions.defaults(), backup);
        assertThat(applied.failed()).isFalse();
        assertThat(applied.changed()).isTrue();
        assertThat(applied.diff()).hasSize(plan.changes().size());
        assertThat(host.read("/proc/sys/kernel/timer_migration")).isEqualTo("0");
        assertThat(host.read("/proc/irq/25/smp_affinity_list")).isEqualTo("0-1");
        assertThat(host.read("/proc/irq/default_smp_affinity")).isEqualTo("3");
        assertThat(host.read("/sys/kernel/mm/transparent_hugepage/enabled")).isEqualTo("never");
        String recorded = Files.readString(backup);
        assertThat(Json.parseObject(recorded).objects("entries")).hasSize(plan.changes().size());
        assertThat(recorded).contains("\"before\": \"950000\"");

        // The fake files now read back as written, so the host looks tuned.
        TuneResult again = prep.apply(PARTITION, TunableOptions.defaults(), backup);
        assertThat(again.changed()).isFalse();
        assertThat(again.failed()).isFalse();
        assertThat(Files.readString(backup)).isEqualTo(recorded);

        TuneResult restored = prep.restore(backup);
        assertThat(restored.failed()).isFalse();
        assertThat(restored.changed()).isTrue();
        Map<String, String> now = snapshot(plan);
        original.forEach((path, value) -> assertThat(now.get(path).strip()).as(path)
                .isEqualTo(normalizeChoice(value.strip())));
        assertThat(backup).doesNotExist();
        assertThat(prep.restore(backup).changed()).isFalse();
    }

    @Test
    void restoreCheckListsWhatRestoreWouldPutBackAndWritesNothing() throws Exception {
        assertThat(prep.restoreCheck(backup).changed()).isFalse();
        TunablePlan plan = prep.plan(PARTITION, TunableOptions.defaults())
                .only(java.util.Set.of("sysctl.kernel.timer_migration", "sysctl.vm.stat_interval"));
        prep.apply(plan, backup);
        Map<String, String> tuned = snapshot(plan);
        String recorded = Files.readString(backup);

        TuneResult check = prep.restoreCheck(backup);

        assertThat(check.changed()).isTrue();
        assertThat(check.failed()).isFalse();
        assertThat(check.msg()).startsWith("check mode: 2 setting(s) would be restored");
        assertThat(check.diff()).extracting(TunableChange::id)
                .containsExactly("sysctl.vm.stat_interval", "sysctl.kernel.timer_migration");
        assertThat(check.diff()).allSatisfy(c -> assertThat(c.after()).isEqualTo(
                plan.changes().stream().filter(p -> p.id().equals(c.id())).findFirst().orElseThrow().before()));
        assertThat(snapshot(plan)).isEqualTo(tuned);
        assertThat(Files.readString(backup)).isEqualTo(recorded);
        assertThat(prep.restore(backup).diff()).isEqualTo(check.diff());
    }

    /** A choice file reads "[always] madvise never" but is restored by writing "always". */
    private static String normalizeChoice(String v) {
        return v.contains("[") ? v.substring(v.indexOf('[') + 1, v.indexOf(']')) : v;
    }

    @Test
    void aFailedWriteRollsBackEverythingAlreadyChangedAndLeavesNoBackup() throws Exception {
        // The last setting is the real, read-only /proc/sys/kernel/osrelease: it reads fine and
        // refuses the write (EACCES even for root), as a kernel file can.
        Path refusing = root.resolve("proc/sys/kernel/refusing");
        Files.createSymbolicLink(refusing, Path.of("/proc/sys/kernel/osrelease"));
        TunablePlan plan = prep.plan(PARTITION, TunableOptions.defaults())
                .only(java.util.Set.of("sysctl.kernel.timer_migration", "irq.25.affinity", "thp.enabled"));
        TunableChange bad = new TunableChange("sysctl.kernel.osrelease", "/proc/sys/kernel/refusing",
                io.kvmtune.hostprep.tune.ValueFormat.TEXT, Files.readString(refusing).strip(), "9.9.9");
        java.util.List<TunableChange> changes = new java.util.ArrayList<>(plan.changes());
        changes.add(bad);
        Map<String, String> original = snapshot(plan);

        TuneResult result = prep.apply(new TunablePlan(PARTITION, changes, plan.notes()), backup);

        assertThat(result.failed()).isTrue();
        assertThat(result.changed()).isFalse();
        assertThat(result.msg()).contains("/proc/sys/kernel/refusing").contains("rolled back 3 change(s)");
        Map<String, String> now = snapshot(plan);
        original.forEach((path, value) -> assertThat(normalizeChoice(now.get(path).strip())).as(path)
                .isEqualTo(normalizeChoice(value.strip())));
        assertThat(backup).doesNotExist();
    }

    @Test
    void aSecondApplyWithADifferentPartitionKeepsTheFirstOriginalsForRestore() throws Exception {
        prep.apply(PARTITION, TunableOptions.defaults(), backup);
        Partition narrower = new Partition(CpuSet.range(4, 7), CpuSet.range(0, 3));
        TuneResult second = prep.apply(narrower, TunableOptions.defaults(), backup);
        assertThat(second.changed()).isTrue();
        assertThat(host.read("/proc/irq/default_smp_affinity")).isEqualTo("f");
        // IRQ 25 at 0-1 already sits inside the new housekeeping set 0-3: left alone.
        assertThat(host.read("/proc/irq/25/smp_affinity_list")).isEqualTo("0-1");

        prep.restore(backup);
        assertThat(host.read("/proc/irq/25/smp_affinity_list")).isEqualTo("0-7");
        assertThat(host.read("/proc/irq/default_smp_affinity")).isEqualTo("ff");
    }

    @Test
    void anIsolatedPartitionIsPlannedOnlyWhenAskedAndOnlyForAnExistingGroup() {
        assertThat(prep.plan(PARTITION, TunableOptions.defaults()).changes())
                .noneMatch(c -> c.id().startsWith("cpuset."));
        TunablePlan missing = prep.plan(PARTITION, new TunableOptions(Optional.of("/rt.slice")));
        assertThat(missing.notes()).anyMatch(n -> n.contains("does not exist"));

        host.file("/sys/fs/cgroup/rt.slice/cpuset.cpus", "\n").file("/sys/fs/cgroup/rt.slice/cpuset.cpus.partition", "member\n");
        TunablePlan plan = prep.plan(PARTITION, new TunableOptions(Optional.of("/rt.slice")));
        assertThat(plan.changes()).extracting(TunableChange::id)
                .containsSubsequence("cgroup.subtree-control", "cpuset.rt.slice.cpus", "cpuset.rt.slice.partition");
        TunableChange control = plan.changes().stream().filter(c -> c.id().equals("cgroup.subtree-control")).findFirst().orElseThrow();
        assertThat(control.format().toWrite(control.before(), control.after())).isEqualTo("+cpuset");
        assertThat(control.format().toWrite(control.after(), control.before())).isEqualTo("-cpuset");
    }
}
