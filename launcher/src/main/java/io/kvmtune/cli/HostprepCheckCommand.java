package io.kvmtune.cli;

import io.kvmtune.hostprep.HostPrep;
import io.kvmtune.hostprep.HostPrepTables;
import io.kvmtune.hostprep.check.CheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kvmtune hostprep check}: the realtime readiness checks for a partition; exit 1 when any fails. */
@Command(name = "check", description = "Readiness checks for the partition: pass, warn, fail or unsupported, each with "
        + "its evidence and remedy. Exit 1 when any check fails.")
final class HostprepCheckCommand extends HostprepSubcommand {

    @Mixin
    PartitionOptions partition;

    @Override
    ExitStatus run() {
        HostPrep host = host();
        CheckReport report = host.check(partition.resolve(host, global));
        print(report, () -> HostPrepTables.checks(report));
        return report.failed() ? ExitStatus.DIFFERENCE : ExitStatus.OK;
    }
}
