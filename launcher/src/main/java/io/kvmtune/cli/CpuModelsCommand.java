package io.kvmtune.cli;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.cpumodel.CpuMap;
import io.kvmtune.core.cpumodel.CpuMapReader;
import io.kvmtune.core.cpumodel.CpuMigrationCheck;
import io.kvmtune.core.cpumodel.CpuModelReport;
import io.kvmtune.core.cpumodel.HostCpu;
import io.kvmtune.core.cpumodel.HostCpuReader;
import io.kvmtune.core.cpumodel.KvmOfferedCpu;
import io.kvmtune.core.cpumodel.HostModel;
import io.kvmtune.core.cpumodel.ModelVerdict;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.text.TextTable;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.topology.HostArch;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kvmtune cpu-models}: libvirt's named CPU models, which this host can run and what the
 * others lack, and the model libvirt's {@code host-model} starts from; with {@code --compare}, what
 * can migrate between this host and another, given that host's {@code cpu-models --format json}
 * or {@code hostprep inventory --format json}.
 */
@Command(name = "cpu-models", description = "libvirt named CPU models runnable here, missing features, host-model.")
final class CpuModelsCommand extends Subcommand {

    @Option(names = "--compare", paramLabel = "FILE",
            description = "Another host's cpu-models or hostprep inventory JSON: what can migrate between the two.")
    Path compare;

    @Option(names = "--cpu-map", paramLabel = "DIR", defaultValue = "/usr/share/libvirt/cpu_map",
            description = "libvirt's CPU map directory (default: /usr/share/libvirt/cpu_map).")
    Path cpuMap;

    @Override
    ExitStatus run() {
        String machine = HostArch.current();
        String arch = CpuMapReader.mapArch(machine).orElseThrow(() -> new MissingComponentException("CpuMapMissing",
                "libvirt has no CPU map for " + machine + " (its models come from QEMU there)"));
        CpuMap map = CpuMapReader.read(cpuMap, arch);
        HostCpu kernel = HostCpuReader.read(Path.of("/"), map);
        Optional<HostCpu> offered = KvmOfferedCpu.read(map, kernel);
        // Runnable means KVM offers every feature (as libvirt's usable); the kernel's view stays beside it.
        CpuModelReport here = CpuModelReport.of(map, offered.orElse(kernel));
        CpuModelReport kernelView = CpuModelReport.of(map, kernel);
        if (compare == null) {
            out().print(format() == OutputFormat.JSON ? Json.pretty(withKernelView(here, kernelView, offered.isPresent()))
                    + "\n" : table(here, kernelView, offered.isPresent()));
            return ExitStatus.OK;
        }
        CpuModelReport there;
        try {
            there = CpuModelReport.fromInventory(InputFiles.json("--compare", compare));
        } catch (JsonException | IllegalArgumentException e) {
            throw InvalidInputException.invalid("--compare", compare.toString(), "--compare " + compare
                    + " is not a CPU model report or an inventory holding one: " + e.getMessage());
        }
        CpuMigrationCheck check = CpuMigrationCheck.of(map, here, there);
        out().print(format() == OutputFormat.JSON ? Json.pretty(check) + "\n" : table(check));
        return ExitStatus.OK;
    }

    /** The report's JSON with the kernel's view beside it: {@code "runnable_by"} and {@code "kernel"}. */
    private static Map<String, Object> withKernelView(CpuModelReport report, CpuModelReport kernel, boolean kvm) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) report.toJson());
        m.put("runnable_by", kvm ? "kvm" : "kernel");
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("features", kernel.host().features());
        k.put("runnable_models", kernel.runnableModels());
        m.put("kernel", k);
        return m;
    }

    private static String table(CpuModelReport report, CpuModelReport kernel, boolean kvm) {
        TextTable models = new TextTable("MODEL", "VENDOR", "RUNNABLE", "KERNEL", "MISSING FEATURES");
        for (ModelVerdict v : report.models()) {
            boolean kernelRuns = kernel.verdict(v.name()).map(ModelVerdict::runnable).orElse(false);
            models.row(v.name(), v.vendor().orElse(null), v.runnable() ? "yes" : "no", kernelRuns ? "yes" : "no",
                    v.runnable() ? null : join(v.missing()));
        }
        return models.render() + "\n" + "RUNNABLE: " + (kvm ? "KVM offers every feature (KVM_GET_SUPPORTED_CPUID)"
                : "no usable /dev/kvm: by the kernel's /proc/cpuinfo") + "; KERNEL: /proc/cpuinfo lists every feature\n"
                + report.runnableModels().size() + " of " + report.models().size()
                + " models run on this host (" + report.host().vendor().orElse("unknown vendor") + ", family "
                + report.host().family() + " model " + report.host().model() + ")\n"
                + "host-model: " + report.hostModel().map(CpuModelsCommand::hostModel).orElse("no named model fits") + "\n";
    }

    private static String table(CpuMigrationCheck check) {
        if (!check.sameArch()) {
            return "the hosts have different architectures: no guest can migrate between them\n";
        }
        StringBuilder out = new StringBuilder();
        out.append("runnable on both:   ").append(join(check.runnableOnBoth())).append('\n');
        out.append("only on this host:  ").append(join(check.runnableOnlyHere())).append('\n');
        out.append("only on the other:  ").append(join(check.runnableOnlyThere())).append('\n');
        out.append("host-model guest, this host -> other: ").append(move(check.hostModelToThere())).append('\n');
        out.append("host-model guest, other -> this host: ").append(move(check.hostModelToHere())).append('\n');
        out.append("baseline for both:  ").append(check.baseline().map(CpuModelsCommand::hostModel).orElse("none")).append('\n');
        out.append("features only here: ").append(join(check.featuresOnlyHere())).append('\n');
        out.append("features only there: ").append(join(check.featuresOnlyThere())).append('\n');
        return out.toString();
    }

    private static String move(CpuMigrationCheck.Move move) {
        if (move.possible()) {
            return "possible";
        }
        return "not possible" + (move.missing().isEmpty() ? "" : "; destination lacks " + join(move.missing()))
                + (move.blockers().isEmpty() ? "" : "; libvirt does not migrate " + join(move.blockers()));
    }

    private static String hostModel(HostModel m) {
        return m.model() + (m.features().isEmpty() ? "" : " + " + join(m.features()))
                + (m.nonMigratable().isEmpty() ? "" : " (not migratable: " + join(m.nonMigratable()) + ")");
    }

    private static String join(Collection<String> items) {
        return items.isEmpty() ? "none" : String.join(" ", items);
    }
}
