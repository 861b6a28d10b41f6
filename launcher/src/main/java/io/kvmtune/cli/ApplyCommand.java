package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code kvmtune apply}: apply a plan to a running QEMU, verify, roll back on failure. The plan is
 * a file, or planned here from request options; without {@code --vcpus} the guest's own vCPU
 * count is used, and the guest's own claim (a libvirt domain's) is not in the way of its plan.
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
        HookSettings paths = HookSettings.fromSystemProperties();
        DiscoveredGuest found = target.discover(paths, Optional.ofNullable(qmp), force);
        TuningPlan chosen = plan != null ? InputFiles.plan("--plan", plan) : planFor(found);
        ApplyOptions options = ApplyOptions.defaults().withStrict(strict).withDryRun(dryRun);
        if (qmp != null) {
            options = options.withQmpSocket(qmp.toAbsolutePath().toString());
        }
        return ApplyOutput.applyAndReport(Applier.system(paths.records()), chosen, found.guest(), options, format(),
                out(), err());
    }

    private TuningPlan planFor(DiscoveredGuest found) {
        HostInputs host = request.host(global.configFile());
        int vcpus = request.vcpusOr(found.guest().vcpus().size());
        return host.plan(host.request(request.flavorSpecs(), request.imageProps(), vcpus),
                request.claimedByOthers(found.commandLine().uuid()));
    }
}
