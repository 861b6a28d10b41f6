package io.kvmtune.cli;

import io.kvmtune.hostprep.HostPrep;
import io.kvmtune.hostprep.HostPrepTables;
import io.kvmtune.hostprep.tune.TuneResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kvmtune hostprep restore}: writes back every value the backup recorded, newest first, and
 * removes the backup. Exit 1 when a value could not be put back: it stays in the backup, so
 * restore can run again. JSON in apply's automation shape, also for {@code --check}, where
 * {@code changed} says whether restore would write anything.
 */
@Command(name = "restore", description = "Put back every value apply recorded in the backup. Exit 1 when one could "
        + "not be put back (it stays in the backup for another try).")
final class HostprepRestoreCommand extends HostprepSubcommand {

    @Mixin
    BackupOption backup;

    @Option(names = "--check", description = "Show what restore would put back and change nothing.")
    boolean check;

    @Override
    ExitStatus run() throws Exception {
        HostPrep host = host();
        if (!check) {
            host.requireRoot("hostprep restore");
        }
        TuneResult result = check ? host.restoreCheck(backup.file(host)) : host.restore(backup.file(host));
        print(result, () -> HostPrepTables.result(result));
        return result.failed() ? ExitStatus.DIFFERENCE : ExitStatus.OK;
    }
}
