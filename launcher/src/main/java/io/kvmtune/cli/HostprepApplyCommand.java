package io.kvmtune.cli;

import io.kvmtune.hostprep.HostPrep;
import io.kvmtune.hostprep.HostPrepTables;
import io.kvmtune.hostprep.tune.TunablePlan;
import io.kvmtune.hostprep.tune.TuneResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kvmtune hostprep apply}: puts the partition's runtime settings in place, recording every
 * previous value in the backup first. The JSON is the automation shape ({@code changed},
 * {@code failed}, {@code msg}, {@code diff}, {@code skipped}, {@code backup}), also for
 * {@code --check}, where {@code changed} says whether apply would change anything.
 *
 * <p>A failed write is rolled back: exit 3, code {@code ApplyFailed} on stderr and the error
 * object beside the result in JSON ({@code RollbackIncomplete} when putting back failed too; the
 * originals then stay in the backup for {@code restore}).
 */
@Command(name = "apply", description = "Change the runtime settings for the partition, recording every previous value "
        + "in the backup first. Exit 3 when a write failed and everything was rolled back.")
final class HostprepApplyCommand extends HostprepSubcommand {

    @Mixin
    PartitionOptions partition;

    @Mixin
    TunableSelection tunables;

    @Mixin
    BackupOption backup;

    @Option(names = "--check", description = "Show what apply would change and change nothing.")
    boolean check;

    @Override
    ExitStatus run() throws Exception {
        HostPrep host = host();
        if (!check) {
            host.requireRoot("hostprep apply");
        }
        Path file = backup.file(host);
        TunablePlan plan = tunables.plan(host, partition.resolve(host, global));
        TuneResult result = check ? TuneResult.checkMode(plan, file) : host.apply(plan, file);
        if (!result.failed()) {
            print(result, () -> HostPrepTables.result(result));
            return ExitStatus.OK;
        }
        Failure failure = new Failure(ExitStatus.ROLLED_BACK, result.changed() ? "RollbackIncomplete" : "ApplyFailed",
                null, null, result.msg());
        err().println(failure.line());
        err().flush();
        out().print(format() == OutputFormat.JSON ? failure.json(result.toJson()) + "\n" : HostPrepTables.result(result));
        out().flush();
        return failure.status();
    }
}
