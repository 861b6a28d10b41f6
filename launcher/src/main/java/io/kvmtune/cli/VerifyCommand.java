package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyRecord;
import io.kvmtune.core.apply.CommandLineCheck;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuCommandLine;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kvmtune verify}: compare a running QEMU with its plan; exit 1 and one line per
 * difference on drift. Without {@code --plan} the plan saved by {@code apply} is used, for the
 * threads apply found; with it, the guest's threads are discovered now (through the QMP socket
 * apply was given, if any). The HPET and guest CPU of the plan are compared with the QEMU's
 * command line ({@link CommandLineCheck}); what that cannot decide is listed under
 * {@code not_compared} in the JSON output.
 */
@Command(name = "verify", description = "Compare the running state with the plan (default: the one saved at apply); exit 1 on drift.")
final class VerifyCommand extends Subcommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Option(names = "--plan", paramLabel = "FILE", description = "A plan written by kvmtune plan --format json.")
    Path plan;

    @Override
    ExitStatus run() {
        HookSettings paths = HookSettings.fromSystemProperties();
        Applier applier = Applier.system(paths.records());
        int pid = target.pid(paths);
        List<String> differences;
        Optional<CommandLineCheck> startup;
        if (plan == null) {
            differences = new ArrayList<>(applier.verify(pid));
            ApplyRecord record = applier.record(pid).orElseThrow();
            startup = commandLine(new ProcFs(paths.procRoot()), record.process())
                    .map(c -> CommandLineCheck.of(record.plan(), c));
        } else {
            Optional<Path> qmp = applier.record(pid).flatMap(ApplyRecord::qmpSocket).map(Path::of);
            DiscoveredGuest found = target.discover(paths, qmp, true);
            TuningPlan planned = InputFiles.plan("--plan", plan);
            differences = new ArrayList<>(applier.verify(planned, found.guest()));
            startup = Optional.of(CommandLineCheck.of(planned, found.commandLine()));
        }
        startup.ifPresent(c -> differences.addAll(c.differences()));
        if (format() == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", pid);
            m.put("as_planned", differences.isEmpty());
            m.put("differences", differences);
            m.put("not_compared", startup.map(CommandLineCheck::notCompared).orElse(List.of()));
            out().println(Json.pretty(m));
        } else if (differences.isEmpty()) {
            out().println("QEMU pid " + pid + " is as planned");
        } else {
            differences.forEach(out()::println);
        }
        return differences.isEmpty() ? ExitStatus.OK : ExitStatus.DIFFERENCE;
    }

    /**
     * The command line of {@code process}, when it is still that process after reading it; when
     * it is not, the thread check has said so already.
     */
    private static Optional<QemuCommandLine> commandLine(ProcFs proc, ThreadIdentity process) {
        Optional<List<String>> argv = proc.cmdline(process.tid());
        return argv.isPresent() && proc.stillSame(process) ? argv.map(QemuCommandLine::parse) : Optional.empty();
    }
}
