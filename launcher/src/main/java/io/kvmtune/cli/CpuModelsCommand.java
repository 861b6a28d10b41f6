package io.kvmtune.cli;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.cpumodel.BlockedModel;
import io.kvmtune.core.cpumodel.CpuBaseline;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kvmtune cpu-models}: libvirt's named CPU models, which this host can run and what the
 * others lack, and the model libvirt's {@code host-model} starts from; with {@code --compare}, what
 * can migrate between this host and another, given that host's {@code cpu-models --format json}
 * or {@code hostprep inventory --format json}; with {@code --baseline}, the model every host of a
 * pool can run, from each host's report ({@link CpuBaseline}).
 */
@Command(name = "cpu-models", description = "libvirt named CPU models runnable here, missing features, host-model.")
final class CpuModelsCommand extends Subcommand {

    @ArgGroup(exclusive = true)
    Other other;

    /** At most one of the two ways of naming other hosts' reports. */
    static final class Other {
        @Option(names = "--compare", paramLabel = "FILE",
                description = "Another host's cpu-models or hostprep inventory JSON: what can migrate between the two.")
        Path compare;

        @Option(names = "--baseline", paramLabel = "FILE", arity = "1..*",
                description = "Every pool host's cpu-models or hostprep inventory JSON (host name: the file name "
                        + "without .json): the newest model all can run, the features they share on top of it, "
                        + "and which hosts block each other model. Reads nothing of this host but the CPU map.")
        List<Path> baseline;
    }

    @Option(names = "--cpu-map", paramLabel = "DIR", defaultValue = "/usr/share/libvirt/cpu_map",
            description = "libvirt's CPU map directory (default: /usr/share/libvirt/cpu_map).")
    Path cpuMap;

    @Override
    ExitStatus run() {
        String machine = HostArch.current();
        String arch = CpuMapReader.mapArch(machine).orElseThrow(() -> new MissingComponentException("CpuMapMissing",
                "libvirt has no CPU map for " + machine + " (its models come from QEMU there)"));
        CpuMap map = CpuMapReader.read(cpuMap, arch);
        if (other != null && other.baseline != null) {
            CpuBaseline baseline = CpuBaseline.of(map, poolHosts(map, other.baseline));
            out().print(format() == OutputFormat.JSON ? Json.pretty(baseline) + "\n" : table(baseline));
            return baseline.model().isPresent() ? ExitStatus.OK : ExitStatus.DOES_NOT_FIT;
        }
        Path compare = other == null ? null : other.compare;
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
        CpuModelReport there = report("--compare", compare);
        CpuMigrationCheck check = CpuMigrationCheck.of(map, here, there);
        out().print(format() == OutputFormat.JSON ? Json.pretty(check) + "\n" : table(check));
        return ExitStatus.OK;
    }

    private static CpuModelReport report(String option, Path file) {
        try {
            return CpuModelReport.fromInventory(InputFiles.json(option, file));
        } catch (JsonException | IllegalArgumentException e) {
            throw InvalidInputException.invalid(option, file.toString(), option + " " + file
                    + " is not a CPU model report or an inventory holding one: " + e.getMessage());
        }
    }

    /** Each file's host CPU by host name; every report must be of {@code map}'s architecture. */
    private static Map<String, HostCpu> poolHosts(CpuMap map, List<Path> files) {
        Map<String, HostCpu> hosts = new LinkedHashMap<>();
        for (Path file : files) {
            CpuModelReport report = report("--baseline", file);
            if (!report.arch().equals(map.arch())) {
                throw InvalidInputException.invalid("--baseline", file.toString(), "--baseline " + file + " describes an "
                        + report.arch() + " host; the pool's CPU map is " + map.arch());
            }
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            if (hosts.putIfAbsent(name, report.host()) != null) {
                throw InvalidInputException.invalid("--baseline", file.toString(), "--baseline " + file
                        + ": another report is already named " + name + " (host names are the file names without .json)");
            }
        }
        return hosts;
    }

    private static String table(CpuBaseline baseline) {
        StringBuilder out = new StringBuilder();
        out.append("hosts:                 ").append(join(baseline.hosts())).append('\n');
        out.append("cpu_mode:              ").append(baseline.model().isPresent() ? CpuBaseline.CPU_MODE : "none").append('\n');
        out.append("cpu_models:            ").append(baseline.model().orElse("none: no named model runs on every host"))
                .append('\n');
        out.append("cpu_model_extra_flags: ").append(String.join(",", baseline.extraFlags())).append('\n');
        out.append("not migratable:        ").append(join(baseline.notMigratable())).append('\n');
        out.append("not for guests:        ").append(join(baseline.notForGuests())).append('\n');
        out.append("runnable on all:       ").append(join(baseline.runnableOnAll())).append('\n');
        if (baseline.blocked().isEmpty()) {
            return out.toString();
        }
        TextTable blocked = new TextTable("BLOCKED MODEL", "VENDOR", "HOST", "MISSING FEATURES");
        for (BlockedModel b : baseline.blocked()) {
            b.blockedBy().forEach((host, missing) -> blocked.row(b.model(), b.vendor().orElse(null), host, join(missing)));
        }
        return out + "\n" + blocked.render();
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
