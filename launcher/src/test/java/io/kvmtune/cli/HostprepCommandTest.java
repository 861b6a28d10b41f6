package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.cpumodel.CpuModelReport;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.hostprep.FakeHost;
import io.kvmtune.hostprep.sys.SelectedWord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code kvmtune hostprep} subcommand run in-process on hostprep's fake host tree (hidden
 * {@code --host-root}): output formats, partition defaults, exit codes, and that apply --check,
 * apply and restore change exactly what they say.
 */
class HostprepCommandTest {

    @TempDir
    Path root;

    @TempDir
    Path etc;

    private FakeHost host;
    private Path emptyConfig;

    @BeforeEach
    void untunedHost() throws IOException {
        host = FakeHost.baseline(root, "6.1.0-18-amd64", "SMP PREEMPT_DYNAMIC", 8, 1)
                .config("# CONFIG_RT_GROUP_SCHED is not set", "CONFIG_HZ=250")
                .cgroupV2("cpuset cpu io memory pids");
        // An explicit empty configuration, so that this machine's /etc/nova/nova.conf never leaks in.
        emptyConfig = Files.writeString(etc.resolve("empty.conf"), "");
    }

    private CommandRun hostprep(String... args) {
        List<String> all = new ArrayList<>(List.of("hostprep"));
        all.addAll(List.of(args));
        all.addAll(List.of("--host-root", host.root().toString()));
        if (!all.contains("--config")) {
            // The fake host's configuration is the empty one: this machine's /etc/kvmtune never leaks in.
            all.addAll(List.of("--config", emptyConfig.toString()));
        }
        return kvmtune(all.toArray(String[]::new));
    }

    private static JsonObject json(CommandRun run) {
        return Json.parseObject(run.out());
    }

    /**
     * Every file of the fake host, the backup excluded, as the kernel would read it back: plain
     * files cannot mimic a kernel file's write semantics (a write of {@code 1} reads back as
     * {@code 1\n}; writing {@code never} to a choice file selects it), so each is compared by its
     * stripped text, and a choice file by its selected word.
     */
    private Map<String, String> tree() {
        host.root();
        Map<String, String> files = new TreeMap<>();
        Path backup = root.resolve("var/lib/kvmtune");
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(backup)).toList()) {
                String text = Files.readString(p).strip();
                files.put(root.relativize(p).toString(), text.matches("[^\\[]*\\[[^]]+].*") ? SelectedWord.of(text) : text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    @Test
    void inventoryJsonHoldsEverySectionAndTheCpuModelReportThatCpuModelsCompareReads() {
        CommandRun run = hostprep("inventory", "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonObject inventory = json(run);
        assertThat(inventory.fields().keySet()).contains("topology", "kernel", "isolation", "rt_throttling", "cgroups",
                "irqs", "kvm", "sysctls", "versions", "guests", CpuModelReport.INVENTORY_KEY);
        CpuModelReport models = CpuModelReport.fromInventory(inventory);
        assertThat(models.arch()).isEqualTo("x86");
        assertThat(models.host().vendor()).contains("Intel");
        // The fake host has fpu, sse2 and pni: the two models built from them run, the later ones do not.
        assertThat(models.runnableModels()).containsExactly("basic", "Oldlake");
        assertThat(models.verdict("Newlake").orElseThrow().missing()).contains("avx2", "sse4.1");
    }

    @Test
    void inventoryTableNamesEachValuesSource() {
        CommandRun run = hostprep("inventory");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("ITEM", "SOURCE", "/proc/cmdline", "sched_rt_runtime_us")
                .containsPattern("cpu models +2 of 5 runnable, host-model \\S+ +/usr/share/libvirt/cpu_map");
    }

    @Test
    void withoutLibvirtsCpuMapTheCpuModelSectionSaysWhyAndCompareReportsIt() {
        host.withoutCpuMap();
        CommandRun run = hostprep("inventory", "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonObject section = json(run).object(CpuModelReport.INVENTORY_KEY);
        assertThat(section.string("unavailable")).startsWith("unsupported: libvirt's CPU map is missing");
        assertThatThrownBy(() -> CpuModelReport.fromInventory(json(run)))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("libvirt's CPU map is missing");
        assertThat(hostprep("inventory").out()).contains("unsupported: libvirt's CPU map is missing");
    }

    @Test
    void checkOnAnUntunedHostExitsOneAndReportsEachCheckWithEvidence() {
        CommandRun run = hostprep("check", "--dedicated", "2-7", "--format", "json");

        assertThat(run.status()).as(run.err()).isEqualTo(1);
        JsonObject report = json(run);
        assertThat(report.bool("failed")).isTrue();
        assertThat(report.object("partition").string("dedicated")).isEqualTo("2-7");
        assertThat(report.object("partition").string("housekeeping")).isEqualTo("0-1");
        assertThat(report.objects("checks")).isNotEmpty()
                .anySatisfy(c -> assertThat(c.string("status")).isEqualTo("fail"));

        CommandRun table = hostprep("check", "--dedicated", "2-7");
        assertThat(table.status()).isEqualTo(1);
        assertThat(table.out()).contains("STATUS", "REMEDY", "partition: dedicated 2-7, housekeeping 0-1");
    }

    @Test
    void checkOnAHostWhereNothingFailsExitsZero() {
        host = FakeHost.baseline(root.resolve("tuned"), "6.12.9", "SMP PREEMPT_RT", 8, 1)
                .tuned(CpuSet.range(0, 1))
                .config("# CONFIG_RT_GROUP_SCHED is not set", "CONFIG_NO_HZ_FULL=y")
                .sysctl("kernel.nmi_watchdog", "0");
        for (int c = 0; c < 8; c++) {
            host.file("/sys/devices/system/cpu/cpu" + c + "/cpufreq/scaling_governor", "performance\n")
                    .task(10 + c, 10 + c, "ksoftirqd/" + c, 0x04208040, 1, 2, c, CpuSet.of(c));
        }

        CommandRun run = hostprep("check", "--dedicated", "2-7", "--housekeeping", "0-1", "--format", "json");

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(json(run).bool("failed")).isFalse();
    }

    @Test
    void thePartitionDefaultsToTheHostConfigurationsSets() throws IOException {
        Path nova = Files.writeString(etc.resolve("nova.conf"),
                "[compute]\ncpu_dedicated_set = 4-7\ncpu_shared_set = 0-1\n");

        CommandRun run = hostprep("check", "--config", nova.toString(), "--format", "json");

        assertThat(run.status()).as(run.err()).isIn(0, 1);
        assertThat(json(run).object("partition").string("dedicated")).isEqualTo("4-7");
        assertThat(json(run).object("partition").string("housekeeping")).isEqualTo("0-1");
        // An option overrides its key; housekeeping stays the configuration's.
        CommandRun overridden = hostprep("check", "--config", nova.toString(), "--dedicated", "6-7", "--format", "json");
        assertThat(json(overridden).object("partition").string("dedicated")).isEqualTo("6-7");
        assertThat(json(overridden).object("partition").string("housekeeping")).isEqualTo("0-1");
    }

    @Test
    void aBadSetIsInvalidInputNamingTheOption() {
        CommandRun run = hostprep("check", "--dedicated", "2-x", "--format", "json");
        assertThat(run.status()).isEqualTo(2);
        assertThat(json(run).object("error").string("key")).isEqualTo("--dedicated");
        assertThat(json(run).object("error").string("value")).isEqualTo("2-x");
        assertThat(run.err()).startsWith("kvmtune: ").contains("--dedicated");

        CommandRun housekeeping = hostprep("plan", "--dedicated", "2-7", "--housekeeping", "1--3");
        assertThat(housekeeping.status()).isEqualTo(2);
        assertThat(housekeeping.err()).contains("--housekeeping");

        CommandRun empty = hostprep("apply", "--check", "--dedicated", "", "--housekeeping", "0", "--format", "json");
        assertThat(empty.status()).isEqualTo(2);
        assertThat(json(empty).object("error").string("key")).isEqualTo("--dedicated");
    }

    @Test
    void checkOnAnUnconfiguredHostReportsTheMissingDedicatedSetAndRunsEveryOtherCheck() {
        CommandRun run = hostprep("check", "--config", emptyConfig.toString(), "--format", "json");

        assertThat(run.status()).as(run.err()).isEqualTo(1);
        JsonObject report = json(run);
        assertThat(report.object("partition").string("dedicated")).isEmpty();
        assertThat(report.object("partition").string("housekeeping")).isEqualTo("0-7");
        JsonObject dedicated = report.objects("checks").stream()
                .filter(c -> c.string("id").equals("partition.dedicated")).findFirst().orElseThrow();
        assertThat(dedicated.string("status")).isEqualTo("fail");
        assertThat(dedicated.string("remedy")).contains("--dedicated", "[compute] cpu_dedicated_set");
        assertThat(report.objects("checks")).extracting(c -> c.string("id"))
                .hasSize(io.kvmtune.hostprep.check.ReadinessChecks.all().size())
                .contains("rt.throttling", "isolation.nohz-full");
    }

    @Test
    void preparingTheHostWithNoDedicatedSetAnywhereIsInvalidInputSayingWhereToGiveOne() {
        CommandRun run = hostprep("plan", "--config", emptyConfig.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("give --dedicated or set [compute] cpu_dedicated_set");
    }

    @Test
    void aSubcommandIsRequired() {
        CommandRun run = kvmtune("hostprep");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("inventory, check, plan, apply, restore");
    }

    @Test
    void planPrintsTheRuntimeDiffTheKernelCommandLineAndNovaConf() {
        CommandRun table = hostprep("plan", "--dedicated", "2-7");

        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("sysctl.kernel.timer_migration", "kernel command line (boot-time, not applied)",
                "isolcpus=managed_irq,domain,2-7", "nova.conf", "cpu_dedicated_set = 2-7");

        JsonObject plan = json(hostprep("plan", "--dedicated", "2-7", "--format", "json"));
        assertThat(plan.object("runtime").bool("changed")).isTrue();
        assertThat(plan.object("runtime").objects("diff")).extracting(d -> d.string("id"))
                .contains("sysctl.kernel.timer_migration", "irq.25.affinity", "irq.default-affinity");
        assertThat(plan.object("kernel_cmdline").string("fragment")).contains("nohz_full=2-7");
        assertThat(plan.object("nova_conf").fields()).containsKeys("compute", "libvirt");

        JsonObject only = json(hostprep("plan", "--dedicated", "2-7", "--only", "sysctl.vm.stat_interval",
                "--format", "json"));
        assertThat(only.object("runtime").objects("diff")).extracting(d -> d.string("id"))
                .containsExactly("sysctl.vm.stat_interval");
    }

    @Test
    void applyCheckReportsTheDiffInTheAutomationShapeAndChangesNothing() {
        Map<String, String> before = tree();

        CommandRun run = hostprep("apply", "--check", "--dedicated", "2-7", "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonObject result = json(run);
        assertThat(result.bool("changed")).isTrue();
        assertThat(result.bool("failed")).isFalse();
        assertThat(result.string("msg")).contains("would change").contains("nothing written");
        assertThat(result.objects("diff")).anySatisfy(d -> {
            assertThat(d.string("id")).isEqualTo("sysctl.kernel.timer_migration");
            assertThat(d.string("before")).isEqualTo("1");
            assertThat(d.string("after")).isEqualTo("0");
        });
        assertThat(tree()).isEqualTo(before);
        assertThat(root.resolve("var/lib/kvmtune/hostprep-backup.json")).doesNotExist();
    }

    @Test
    void applyRecordsTheBackupASecondApplyChangesNothingAndRestorePutsBackEveryFile() {
        Map<String, String> before = tree();
        Path backup = root.resolve("var/lib/kvmtune/hostprep-backup.json");

        CommandRun applied = hostprep("apply", "--dedicated", "2-7", "--format", "json");

        assertThat(applied.status()).as(applied.err()).isZero();
        assertThat(json(applied).bool("changed")).isTrue();
        assertThat(json(applied).string("backup")).isEqualTo(backup.toString());
        assertThat(backup).exists();
        assertThat(host.read("/proc/sys/kernel/timer_migration").strip()).isEqualTo("0");
        assertThat(host.read("/proc/irq/25/smp_affinity_list").strip()).isEqualTo("0-1");
        assertThat(tree()).isNotEqualTo(before);

        CommandRun again = hostprep("apply", "--dedicated", "2-7", "--format", "json");
        assertThat(again.status()).isZero();
        assertThat(json(again).bool("changed")).isFalse();
        assertThat(hostprep("apply", "--check", "--dedicated", "2-7", "--format", "json").out())
                .contains("\"changed\": false");

        CommandRun restored = hostprep("restore", "--format", "json");
        assertThat(restored.status()).as(restored.err()).isZero();
        assertThat(json(restored).bool("changed")).isTrue();
        assertThat(json(restored).bool("failed")).isFalse();
        assertThat(tree()).isEqualTo(before);
        assertThat(backup).doesNotExist();
        assertThat(json(hostprep("restore", "--format", "json")).bool("changed")).isFalse();
    }

    @Test
    void applyOnlyTouchesTheNamedSettingsAndAnExplicitBackupFile() throws IOException {
        Path backup = etc.resolve("backup.json");

        CommandRun run = hostprep("apply", "--dedicated", "2-7", "--only", "sysctl.vm.stat_interval",
                "--backup", backup.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 setting(s) changed", "sysctl.vm.stat_interval");
        assertThat(host.read("/proc/sys/vm/stat_interval").strip()).isEqualTo("10");
        assertThat(host.read("/proc/sys/kernel/timer_migration").strip()).isEqualTo("1");
        assertThat(Files.readString(backup)).contains("/proc/sys/vm/stat_interval");

        assertThat(hostprep("restore", "--backup", backup.toString()).status()).isZero();
        assertThat(host.read("/proc/sys/vm/stat_interval").strip()).isEqualTo("1");
    }

    @Test
    void aRefusedWriteRollsBackEverythingAndExitsThree() throws IOException {
        // The fake nmi_watchdog is the real, read-only /proc/sys/kernel/osrelease: it reads fine
        // and refuses the write (EACCES even for root), after the sysctls planned before it were written.
        Path watchdog = root.resolve("proc/sys/kernel/nmi_watchdog");
        Files.delete(watchdog);
        Files.createSymbolicLink(watchdog, Path.of("/proc/sys/kernel/osrelease"));
        Map<String, String> before = tree();

        CommandRun run = hostprep("apply", "--dedicated", "2-7", "--format", "json");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.err()).startsWith("kvmtune: ApplyFailed: writing /proc/sys/kernel/nmi_watchdog");
        JsonObject result = json(run);
        assertThat(result.object("error").string("code")).isEqualTo("ApplyFailed");
        assertThat(result.bool("failed")).isTrue();
        assertThat(result.bool("changed")).isFalse();
        assertThat(result.string("msg")).contains("rolled back").contains("host unchanged");
        assertThat(tree()).isEqualTo(before);
        assertThat(root.resolve("var/lib/kvmtune/hostprep-backup.json")).doesNotExist();
    }

    @Test
    void applyAndRestoreWithoutRootArePermissionDeniedAndChangeNothing() {
        host.runningAs(1000);
        Map<String, String> before = tree();

        CommandRun apply = hostprep("apply", "--dedicated", "2-7", "--format", "json");
        assertThat(apply.status()).isEqualTo(4);
        assertThat(json(apply).object("error").string("code")).isEqualTo("PermissionDenied");
        assertThat(apply.err()).contains("hostprep apply writes kernel settings and needs root (effective uid is 1000)");

        CommandRun restore = hostprep("restore");
        assertThat(restore.status()).isEqualTo(4);
        assertThat(restore.err()).startsWith("kvmtune: PermissionDenied: hostprep restore");
        assertThat(tree()).isEqualTo(before);

        // --check only reads: no root needed.
        assertThat(hostprep("apply", "--check", "--dedicated", "2-7").status()).isZero();
    }

    @Test
    void anIsolateCgroupOutsideTheHierarchyIsRejected() {
        CommandRun run = hostprep("plan", "--dedicated", "2-7", "--isolate-cgroup", "/../../etc", "--format", "json");
        assertThat(run.status()).isEqualTo(2);
        assertThat(json(run).object("error").string("key")).isEqualTo("--isolate-cgroup");
    }
}
