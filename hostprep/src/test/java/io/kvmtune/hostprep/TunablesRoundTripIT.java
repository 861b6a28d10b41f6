package io.kvmtune.hostprep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.sys.HostFs;
import io.kvmtune.hostprep.tune.TunableChange;
import io.kvmtune.hostprep.tune.TunableOptions;
import io.kvmtune.hostprep.tune.TunablePlan;
import io.kvmtune.hostprep.tune.TuneResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply / restore on this real machine for tunables that are safe here: kernel.timer_migration,
 * vm.stat_interval and one IRQ's affinity. The originals are written back in {@code finally}
 * whatever the assertions do.
 */
class TunablesRoundTripIT {

    private static final Set<String> SAFE_SYSCTLS = Set.of("sysctl.kernel.timer_migration", "sysctl.vm.stat_interval");

    @TempDir
    Path state;

    private final HostFs fs = HostFs.live();

    private Map<String, String> dump(Iterable<String> paths) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String p : paths) {
            files.put(p, fs.read(p).orElse("<absent>"));
        }
        return files;
    }

    @Test
    void checkChangesNothingApplyIsIdempotentAndRestoreBringsBackTheExactValues() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "writing /proc/sys needs root");
        HostPrep prep = HostPrep.live();
        CpuSet online = prep.inventory().topology().online().value().orElseThrow();
        assumeTrue(online.size() >= 2, "needs two online CPUs to move an IRQ, has " + online);
        Partition partition = prep.partition(Optional.of(CpuSet.of(online.last())), Optional.empty(), HostPolicy.defaults());

        // --check: the full plan, with every file it would touch dumped before and after planning.
        TunablePlan full = prep.plan(partition, TunableOptions.defaults());
        Map<String, String> beforeCheck = dump(full.paths());
        TunablePlan again = prep.plan(partition, TunableOptions.defaults());
        assertThat(dump(full.paths())).isEqualTo(beforeCheck);
        assertThat(again.changes()).isEqualTo(full.changes());

        String irq = writableIrq(full);
        Set<String> ids = new java.util.HashSet<>(SAFE_SYSCTLS);
        ids.add(irq);
        TunablePlan safe = full.only(ids);
        assumeTrue(safe.changes().size() == 3, "this host needs no change to " + ids + " for " + partition
                + " (already tuned); planned: " + safe.changes());
        Map<String, String> original = dump(safe.paths());
        Path backup = state.resolve("hostprep-backup.json");
        try {
            TuneResult applied = prep.apply(safe, backup);
            assertThat(applied.failed()).as(applied.msg()).isFalse();
            assertThat(applied.changed()).isTrue();
            assertThat(applied.diff()).extracting(TunableChange::id).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(fs.read("/proc/sys/kernel/timer_migration")).contains("0");
            assertThat(fs.read("/proc/sys/vm/stat_interval")).contains("10");
            String irqPath = safe.changes().stream().filter(c -> c.id().equals(irq)).findFirst().orElseThrow().path();
            assertThat(CpuSet.parse(fs.read(irqPath).orElseThrow())).isEqualTo(partition.housekeeping());
            assertThat(Files.readString(backup)).contains(original.get("/proc/sys/vm/stat_interval"));

            TuneResult second = prep.apply(prep.plan(partition, TunableOptions.defaults()).only(ids), backup);
            assertThat(second.changed()).as(second.msg()).isFalse();

            TuneResult restored = prep.restore(backup);
            assertThat(restored.failed()).as(restored.msg()).isFalse();
            assertThat(dump(safe.paths())).isEqualTo(original);
            assertThat(backup).doesNotExist();
        } finally {
            if (Files.exists(backup)) {
                prep.restore(backup);
            }
            for (Map.Entry<String, String> e : original.entrySet()) {
                if (!fs.read(e.getKey()).orElse("").equals(e.getValue())) {
                    fs.write(e.getKey(), e.getValue());
                }
            }
        }
    }

    /** The first planned IRQ that accepts a write of its own current affinity (managed IRQs do not). */
    private String writableIrq(TunablePlan plan) {
        for (TunableChange c : plan.changes()) {
            if (c.id().startsWith("irq.") && c.id().endsWith(".affinity")) {
                try {
                    fs.write(c.path(), fs.read(c.path()).orElseThrow());
                    return c.id();
                } catch (IOException refused) {
                    // Managed or chip-restricted: try the next one.
                }
            }
        }
        assumeTrue(false, "no planned IRQ accepts affinity writes here");
        return null;
    }
}
