package io.kvmtune.cli;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kvmtune show}: every thread of a QEMU with its role, scheduling, affinity and cgroup. */
@Command(name = "show", description = "Every thread of a QEMU: tid, comm, role, policy, priority, affinity, cgroup.")
final class ShowCommand extends Subcommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Option(names = "--qmp", paramLabel = "SOCKET", description = "QEMU's QMP socket, for QEMUs without debug-threads.")
    Path qmp;

    @Override
    ExitStatus run() {
        throw NotAvailable.yet("show: thread discovery (issue 4)");
    }
}
