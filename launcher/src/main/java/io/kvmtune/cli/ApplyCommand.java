package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code kvmtune apply}: apply a plan to a running QEMU, verify, roll back on failure. The plan is
 * a file, or planned here from request options; without {@code --vcpus} the guest's own vCPU
 * count is used, and the guest's own claim (a libvirt domain's) is not in the way of its plan.
 * Unless {@code --claims none} or {@code --dry-run}, the plan's pCPUs are claimed in the ledger
 * for the QEMU (given back if the apply is rolled back), after the state of exited QEMUs was
 * cleaned up.
 */
@Command(name = "apply", description = "Apply a plan to a running QEMU; verify; roll back on failure.")
final class ApplyCommand extends Subcommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Option(names = "--qmp", paramLabel = "SOCKET", description = "QEMU's QMP socket, for QEMUs without debug-threads.")
    Path qmp;

    @Option(names = "--plan", paramLabel = "FILE", description = "A plan written by kvmtune plan --format json.")
    Path plan;

    @Mixin
    RequestOptions request;

    @Option(names = "--dry-run", description = "Print what would change; change nothing.")
    boolean dryRun;

    @Option(names = "--strict", description = "Fail when guest memory is not locked as planned.")
    boolean strict;

    @Option(names = "--force", description = "Act on a process whose executable is not a QEMU system emulator.")
    boolean force;

    @Override
    ExitStatus run() {
        if (plan != null && request.given()) {
            throw new ParameterException(spec.commandLine(), "--plan FILE and request options (--vcpus, --flavor-spec,"
                    + " --image-prop) exclude each other");
        }
        HookSettings paths = hostState();
        Optional<Path> claims = request.claimsFileOr(paths.claimsFile());
        if (!dryRun) {
            StaleCleanups.run(paths, claims, err());
        }
        DiscoveredGuest found = target.discover(paths, Optional.ofNullable(qmp), force);
        Function<CpuSet, TuningPlan> planAround = plan != null ? fixed(InputFiles.plan("--plan", plan))
                : taken -> planFor(found, taken);
        ApplyOptions options = ApplyOptions.defaults().withStrict(strict).withDryRun(dryRun);
        if (qmp != null) {
            options = options.withQmpSocket(qmp.toAbsolutePath().toString());
        }
        Applier applier = Applier.system(paths.records());
        if (dryRun || claims.isEmpty()) {
            CpuSet others = claims.map(f -> ClaimsLedger.at(f).claimedPcpus(found.commandLine().uuid().orElse(null)))
                    .orElse(CpuSet.empty());
            return ApplyOutput.applyAndReport(applier, planAround.apply(others), found.guest(), options, format(),
                    out(), err());
        }
        return ApplyOutput.applyClaimedAndReport(applier, ClaimsLedger.at(claims.get()), found, planAround, options,
                format(), out(), err());
    }

    /** A plan file: checked against the pCPUs others hold when claimed, never re-planned. */
    private static Function<CpuSet, TuningPlan> fixed(TuningPlan given) {
        return taken -> given;
    }

    private TuningPlan planFor(DiscoveredGuest found, CpuSet claimedByOthers) {
        HostInputs host = request.host(global.configFile());
        // Planned for the most vCPUs the QEMU can have, so that those plugged in later have a place.
        int vcpus = request.vcpusOr(found.commandLine().maxVcpus().orElse(found.guest().vcpus().size()));
        return host.plan(host.request(request.flavorSpecs(), request.imageProps(), vcpus, request.memoryMb()),
                claimedByOthers);
    }
}
