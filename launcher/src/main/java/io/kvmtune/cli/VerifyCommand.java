package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyRecord;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.qemu.DiscoveredGuest;
import java.nio.file.Path;
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
 * apply was given, if any).
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
        if (plan == null) {
            differences = applier.verify(pid);
        } else {
            Optional<Path> qmp = applier.record(pid).flatMap(ApplyRecord::qmpSocket).map(Path::of);
            DiscoveredGuest found = target.discover(paths, qmp, true);
            differences = applier.verify(InputFiles.plan("--plan", plan), found.guest());
        }
        if (format() == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", pid);
            m.put("as_planned", differences.isEmpty());
            m.put("differences", differences);
            out().println(Json.pretty(m));
        } else if (differences.isEmpty()) {
            out().println("QEMU pid " + pid + " is as planned");
        } else {
            differences.forEach(out()::println);
        }
        return differences.isEmpty() ? ExitStatus.OK : ExitStatus.DIFFERENCE;
    }
}
