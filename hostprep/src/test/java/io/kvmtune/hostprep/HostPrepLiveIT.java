package io.kvmtune.hostprep;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.hostprep.check.CheckReport;
import io.kvmtune.hostprep.check.CheckResult;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.check.ReadinessChecks;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.InventoryReader;
import io.kvmtune.hostprep.inventory.LogicalCpu;
import io.kvmtune.hostprep.inventory.OshiPlatformFacts;
import io.kvmtune.hostprep.inventory.SysfsPlatformFacts;
import io.kvmtune.hostprep.sys.HostFs;
import io.kvmtune.hostprep.tune.TunableOptions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inventory, checks, plan and suggestions on this real machine: they run and report no internal error. */
class HostPrepLiveIT {

    private static HostPrep prep;
    private static HostInventory inventory;
    private static Partition partition;

    @BeforeAll
    static void readHost() {
        prep = HostPrep.live();
        inventory = prep.inventory();
        CpuSet online = inventory.topology().online().value().orElseThrow();
        // The highest CPU dedicated, the rest housekeeping; on a one-CPU host there is no partition.
        org.junit.jupiter.api.Assumptions.assumeTrue(online.size() >= 2, "needs at least two online CPUs, has " + online);
        partition = prep.partition(Optional.of(CpuSet.of(online.last())), Optional.empty(), HostPolicy.defaults());
    }

    @Test
    void inventoryReadsTheCoreFactsOfThisHost() {
        assertThat(inventory.topology().cpus()).isNotEmpty();
        assertThat(inventory.topology().source()).isEqualTo("oshi");
        assertThat(inventory.kernel().version().value()).isPresent();
        assertThat(inventory.kernel().cmdline().value()).isPresent();
        assertThat(inventory.rt().runtimeUs().value()).isPresent();
        assertThat(inventory.clocksource().current().value()).isPresent();
        assertThat(inventory.tasks()).anyMatch(t -> t.tid() == ProcessHandle.current().pid());
        // The JSON is valid and carries every section.
        var json = Json.parseObject(Json.pretty(inventory));
        assertThat(json.fields().keySet()).contains("topology", "kernel", "isolation", "rt_throttling", "cgroups",
                "clocksource", "memory", "power", "irqs", "workqueues", "kvm", "sysctls", "versions", "guests");
    }

    @Test
    void oshiAndSysfsAgreeOnTheLogicalCpus() {
        var oshi = new OshiPlatformFacts().logicalCpus();
        var sysfs = new SysfsPlatformFacts(HostFs.live()).logicalCpus();
        assertThat(oshi).extracting(LogicalCpu::cpu).containsExactlyElementsOf(sysfs.stream().map(LogicalCpu::cpu).toList());
        assertThat(oshi).extracting(LogicalCpu::node).containsExactlyElementsOf(sysfs.stream().map(LogicalCpu::node).toList());
        assertThat(oshi).extracting(LogicalCpu::packageId)
                .containsExactlyElementsOf(sysfs.stream().map(LogicalCpu::packageId).toList());
        assertThat(new OshiPlatformFacts().kernelRelease())
                .isEqualTo(new SysfsPlatformFacts(HostFs.live()).kernelRelease());
    }

    @Test
    void everyCheckRunsWithoutAnInternalErrorAndNamesItsEvidence() {
        CheckReport report = ReadinessChecks.run(inventory, partition);
        assertThat(report.results()).hasSameSizeAs(ReadinessChecks.all());
        for (CheckResult r : report.results()) {
            assertThat(r.outcome().finding()).as(r.id()).doesNotStartWith("internal error");
            assertThat(r.outcome().evidence()).as(r.id()).isNotEmpty();
        }
        assertThat(Json.parseObject(Json.write(report)).objects("checks")).hasSize(report.results().size());
        assertThat(HostPrepTables.checks(report)).contains("partition.disjoint");
    }

    @Test
    void planAndSuggestionsRenderForThisHost() {
        var plan = prep.plan(partition, TunableOptions.defaults());
        var suggestions = prep.suggest(partition);
        assertThat(suggestions.boot().fragment()).contains("isolcpus=managed_irq,domain," + partition.dedicated().format());
        assertThat(suggestions.nova().render()).contains("cpu_dedicated_set = " + partition.dedicated().format());
        assertThat(HostPrepTables.plan(plan, suggestions)).contains("kernel command line");
        assertThat(Json.parseObject(Json.write(plan)).bool("changed")).isEqualTo(!plan.changes().isEmpty());
        assertThat(HostPrepTables.inventory(new InventoryReader(HostFs.live(), new SysfsPlatformFacts(HostFs.live()),
                () -> inventory.versions()).read())).contains("cpus online");
    }
}
