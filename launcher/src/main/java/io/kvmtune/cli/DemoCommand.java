package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyFailedException;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.ApplyReport;
import io.kvmtune.core.apply.RestoreReport;
import io.kvmtune.core.apply.ThreadRow;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.PlanTable;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.core.spec.RequestParser;
import io.kvmtune.core.topology.HostArch;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.SysfsTopologyReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code kvmtune demo}: the main job on a throwaway guest. Starts a real QEMU paused (its vCPUs
 * run no guest code, so realtime vCPU threads cannot hog a CPU) with 4 vCPUs, plans for it from a
 * built-in realtime request fitted to this host ({@link DemoSetup}), applies, shows the threads
 * before and after, verifies, restores, and stops the guest, whatever happens in between.
 * Installs QEMU first when it is missing and that can be done here ({@link QemuInstaller}).
 */
@Command(name = "demo", description = "Throwaway paused guest: planned, applied, shown, verified, restored, stopped.")
final class DemoCommand extends Subcommand {

    @Override
    ExitStatus run() {
        boolean json = format() == OutputFormat.JSON;
        QemuInstaller.ensure(json ? err() : out());
        HookSettings paths = hostState();
        HostTopology topology = new SysfsTopologyReader(paths.fsRoot()).read(HostArch.current());
        CpuSet claimed = ClaimsLedger.at(paths.claimsFile()).claimedPcpus(null);
        DemoSetup setup = DemoSetup.fit(topology.online(), claimed);
        TuningPlan plan = Planner.plan(RequestParser.parse(setup.flavorSpecs(), Map.of(), setup.vcpus(), topology.arch(),
                setup.policy().virtType()), setup.policy(), topology, claimed);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("host_cpus", topology.online().format());
        report.put("setup", setup);
        report.put("plan", plan);
        if (!json) {
            out().println("host: " + topology.online().size() + " online CPUs (" + topology.online().format() + ")");
            out().println("request: " + setup.flavorSpecs().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" ")) + ", cpu_shared_set=" + setup.policy().sharedSet().orElseThrow().format()
                    + setup.policy().dedicatedSet().map(d -> ", cpu_dedicated_set=" + d.format()).orElse(""));
            out().println("why: " + setup.why());
            section("plan", PlanTable.format(plan));
        }
        ThrowawayGuest.Options options = new ThrowawayGuest.Options(setup.vcpus(), 64, "kvmtune-demo", true, List.of(),
                ThrowawayGuest.Accelerator.AUTO, List.of());
        if (plan.memory().locked()) {
            options = options.withArguments("-overcommit", "mem-lock=on"); // as libvirt's <memoryBacking><locked/> does
        }
        Applier applier = Applier.system(paths.records());
        ThrowawayGuest guest = ThrowawayGuest.start(options);
        try (guest) {
            report.put("qemu", Map.of("pid", guest.pid(), "accelerator", guest.accelerator().name().toLowerCase(Locale.ROOT)));
            if (!json) {
                out().println("started QEMU pid " + guest.pid() + " (" + guest.accelerator() + ", paused: its vCPUs run no guest code)");
            }
            DiscoveredGuest found = paths.discovery().discover(guest.pid(), Optional.empty(), false);
            List<ThreadRow> before = applier.show(found.guest());
            ApplyReport applied;
            try {
                applied = applier.apply(plan, found.guest(), ApplyOptions.defaults());
            } catch (ApplyFailedException e) {
                return rolledBack(e);
            }
            List<ThreadRow> after = applier.show(found.guest());
            List<String> differences = applier.verify(guest.pid());
            RestoreReport restored = applier.restore(guest.pid());
            List<ThreadRow> back = applier.show(found.guest());
            report.put("before", before);
            report.put("apply", applied);
            report.put("after", after);
            report.put("verify", Map.of("as_planned", differences.isEmpty(), "differences", differences));
            report.put("restore", restored);
            report.put("restored", back);
            if (json) {
                out().println(Json.pretty(report));
            } else {
                section("threads before", ThreadTables.show(before));
                section("apply", ThreadTables.apply(applied));
                section("threads after", ThreadTables.show(after));
                section("verify", differences.isEmpty() ? "as planned\n" : String.join("\n", differences) + "\n");
                section("restore", ThreadTables.restore(restored));
                section("threads after restore", ThreadTables.show(back));
                out().println("stopping the guest");
            }
            return !differences.isEmpty() ? ExitStatus.DIFFERENCE : restored.complete() ? ExitStatus.OK : ExitStatus.DIFFERENCE;
        } finally {
            // the guest is stopped now: its lock file would otherwise wait for the next stale-state cleanup
            applier.forgetExited(guest.pid());
        }
    }

    private void section(String title, String body) {
        out().println();
        out().println("== " + title);
        out().print(body);
    }
}
