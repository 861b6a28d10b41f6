package io.kvmtune.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/** {@code kvmtune restore}: put back the state saved before the last apply. */
@Command(name = "restore", description = "Put back the state saved before the last apply.")
final class RestoreCommand extends Subcommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Override
    ExitStatus run() {
        throw NotAvailable.yet("restore: the apply engine's restore (issue 4)");
    }
}
