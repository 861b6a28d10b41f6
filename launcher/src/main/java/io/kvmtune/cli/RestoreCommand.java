package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.RestoreReport;
import io.kvmtune.core.apply.StaleCleanup;
import io.kvmtune.core.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code kvmtune restore}: put back the state saved before the last apply, from the apply record.
 * Exit 1 when something that still exists could not be put back (each such value is listed, and
 * the record is kept so that restore can be run again). {@code --stale} instead cleans up after
 * every QEMU that has exited: its apply record, its claim and the realtime runtime it was given.
 */
@Command(name = "restore", description = "Put back the state saved before the last apply.")
final class RestoreCommand extends Subcommand {

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    TargetOptions target;

    @Option(names = "--stale", description = "Clean up the records, claims and realtime runtime of every QEMU that has exited.")
    boolean stale;

    @Override
    ExitStatus run() {
        if (stale == (target != null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --pid PID, --domain NAME, --stale");
        }
        HookSettings paths = hostState();
        if (stale) {
            return cleanUp(paths);
        }
        RestoreReport report = Applier.system(paths.records()).restore(target.pid(paths));
        out().print(format() == OutputFormat.JSON ? Json.pretty(report) + "\n" : ThreadTables.restore(report));
        return report.complete() ? ExitStatus.OK : ExitStatus.DIFFERENCE;
    }

    private ExitStatus cleanUp(HookSettings paths) {
        List<StaleCleanup> done = StaleCleanups.run(paths, Optional.of(paths.claimsFile()), err());
        boolean complete = done.stream().allMatch(StaleCleanup::complete);
        if (format() == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("complete", complete);
            m.put("cleaned", done);
            out().println(Json.pretty(m));
        } else if (done.isEmpty()) {
            out().println("nothing stale: every apply record and claim belongs to a running QEMU");
        }
        return complete ? ExitStatus.OK : ExitStatus.DIFFERENCE;
    }
}
