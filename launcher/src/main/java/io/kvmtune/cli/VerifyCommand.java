package io.kvmtune.cli;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kvmtune verify}: compare a running QEMU with its plan; exit 1 on drift. */
@Command(name = "verify", description = "Compare the running state with the plan (default: the one saved at apply); exit 1 on drift.")
final class VerifyCommand extends Subcommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Option(names = "--plan", paramLabel = "FILE", description = "A plan written by kvmtune plan --format json.")
    Path plan;

    @Override
    ExitStatus run() {
        throw NotAvailable.yet("verify: the apply engine's verify (issue 4)");
    }
}
