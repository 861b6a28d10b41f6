package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ThreadRow;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.qemu.DiscoveredGuest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

    @Option(names = "--force", description = "Show a process whose executable is not a QEMU system emulator.")
    boolean force;

    @Override
    ExitStatus run() {
        HookSettings paths = hostState();
        DiscoveredGuest found = target.discover(paths, Optional.ofNullable(qmp), force);
        List<ThreadRow> rows = Applier.system(paths.records()).show(found.guest());
        out().print(format() == OutputFormat.JSON ? Json.pretty(rows) + "\n" : ThreadTables.show(rows));
        return ExitStatus.OK;
    }
}
