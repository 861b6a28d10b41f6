package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.cpumodel.CpuModelReport;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.hostprep.sys.HostFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kvmtune hostprep} on this real machine, in-process: inventory and check run without an
 * internal error and print parseable JSON; apply --check, apply and restore of two safe sysctls
 * (narrowed with {@code --only}, backup in a temporary file) bring back the exact values.
 */
class HostprepLiveIT {

    private static final List<String> SAFE = List.of("/proc/sys/kernel/timer_migration", "/proc/sys/vm/stat_interval");

    @TempDir
    Path state;

    /** The highest online CPU dedicated, the rest housekeeping; an explicit empty config keeps /etc out. */
    private String[] partition() throws IOException {
        CpuSet online = CpuSet.parse(HostFs.live().read("/sys/devices/system/cpu/online").orElseThrow());
        assumeTrue(online.size() >= 2, "needs two online CPUs for a partition, has " + online);
        Path config = Files.writeString(state.resolve("empty.conf"), "");
        return new String[] {"--dedicated", String.valueOf(online.last()), "--config", config.toString()};
    }

    private static String[] args(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** Read with HostFs: Files.readString cuts a sysctl such as "10" to "1" (see HostFs#readBytes). */
    private static Map<String, String> dump() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String file : SAFE) {
            values.put(file, HostFs.live().read(file).orElseThrow());
        }
        return values;
    }

    @Test
    void inventoryPrintsParseableJsonWithTheCpuModelSectionAndNoInternalError() {
        CommandRun run = kvmtune("hostprep", "inventory", "--format", "json");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("InternalError");
        JsonObject inventory = Json.parseObject(run.out());
        assertThat(inventory.fields().keySet()).contains("topology", "kernel", "isolation", "rt_throttling", "cgroups",
                "clocksource", "memory", "power", "irqs", "workqueues", "kvm", "sysctls", "versions", "guests",
                CpuModelReport.INVENTORY_KEY);
        if (Files.isRegularFile(Path.of("/usr/share/libvirt/cpu_map/index.xml"))) {
            assertThat(CpuModelReport.fromInventory(inventory).models()).isNotEmpty();
        } else {
            assertThat(inventory.object(CpuModelReport.INVENTORY_KEY).string("unavailable")).contains("CPU map");
        }
        assertThat(kvmtune("hostprep", "inventory").out()).contains("cpus online", "cpu models");
    }

    @Test
    void checkPrintsParseableJsonAndEveryCheckHasEvidence() throws IOException {
        CommandRun run = kvmtune(args(new String[] {"hostprep", "check", "--format", "json"}, partition()));

        assertThat(run.status()).as(run.err()).isIn(0, 1);
        JsonObject report = Json.parseObject(run.out());
        assertThat(report.bool("failed")).isEqualTo(run.status() == 1);
        assertThat(report.objects("checks")).isNotEmpty().allSatisfy(c -> {
            assertThat(c.string("status")).isIn("pass", "warn", "fail", "unsupported");
            assertThat(c.toString()).doesNotContain("internal error");
        });
        assertThat(Json.parseObject(kvmtune(args(new String[] {"hostprep", "plan", "--format", "json"}, partition())).out())
                .object("kernel_cmdline").string("fragment")).contains("isolcpus=");
    }

    @Test
    void applyCheckChangesNothingApplyIsIdempotentAndRestoreBringsBackTheExactValues() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "writing /proc/sys needs root");
        Path backup = state.resolve("hostprep-backup.json");
        String[] apply = args(new String[] {"hostprep", "apply", "--format", "json", "--backup", backup.toString(),
                "--only", "sysctl.kernel.timer_migration", "--only", "sysctl.vm.stat_interval"}, partition());
        Map<String, String> original = dump();
        assumeTrue(!original.get(SAFE.get(0)).equals("0") && !original.get(SAFE.get(1)).equals("10"),
                "this host already has timer_migration 0 and stat_interval 10: nothing to round-trip " + original);
        try {
            CommandRun check = kvmtune(args(apply, "--check"));
            assertThat(check.status()).as(check.err()).isZero();
            assertThat(Json.parseObject(check.out()).bool("changed")).isTrue();
            assertThat(Json.parseObject(check.out()).objects("diff")).hasSize(2);
            assertThat(dump()).isEqualTo(original);
            assertThat(backup).doesNotExist();

            CommandRun applied = kvmtune(apply);
            assertThat(applied.status()).as(applied.err() + applied.out()).isZero();
            assertThat(Json.parseObject(applied.out()).bool("changed")).isTrue();
            assertThat(dump()).containsExactly(Map.entry(SAFE.get(0), "0"), Map.entry(SAFE.get(1), "10"));
            assertThat(Json.parseObject(kvmtune(apply).out()).bool("changed")).isFalse();

            CommandRun restored = kvmtune("hostprep", "restore", "--format", "json", "--backup", backup.toString());
            assertThat(restored.status()).as(restored.err() + restored.out()).isZero();
            assertThat(Json.parseObject(restored.out()).bool("failed")).isFalse();
            assertThat(dump()).isEqualTo(original);
            assertThat(backup).doesNotExist();
        } finally {
            for (Map.Entry<String, String> e : original.entrySet()) {
                if (!HostFs.live().read(e.getKey()).orElseThrow().equals(e.getValue())) {
                    HostFs.live().write(e.getKey(), e.getValue());
                }
            }
        }
    }
}
