package io.kvmtune.cli;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kvmtune apply}: apply a plan to a running QEMU, verify, roll back on failure. */
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
        throw NotAvailable.yet("apply: thread discovery and the apply engine (issue 4)");
    }
}
