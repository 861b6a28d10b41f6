package io.kvmtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kvmtune hostprep}: host inventory, readiness checks, host tunables; dispatches to its subcommands. */
@Command(name = "hostprep", description = "Host preparation: inventory, check, plan, apply, restore.",
        subcommands = {HostprepInventoryCommand.class, HostprepCheckCommand.class, HostprepPlanCommand.class,
                HostprepApplyCommand.class, HostprepRestoreCommand.class})
final class HostprepCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "hostprep needs one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
