package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.RestoreReport;
import io.kvmtune.core.json.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/**
 * {@code kvmtune restore}: put back the state saved before the last apply, from the apply record.
 * Exit 1 when something that still exists could not be put back (each such value is listed, and
 * the record is kept so that restore can be run again).
 */
@Command(name = "restore", description = "Put back the state saved before the last apply.")
final class RestoreCommand extends Subcommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Override
    ExitStatus run() {
        HookSettings paths = HookSettings.fromSystemProperties();
        RestoreReport report = Applier.system(paths.records()).restore(target.pid(paths));
        out().print(format() == OutputFormat.JSON ? Json.pretty(report) + "\n" : ThreadTables.restore(report));
        return report.complete() ? ExitStatus.OK : ExitStatus.DIFFERENCE;
    }
}
