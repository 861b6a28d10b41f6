package io.kvmtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmtune hostprep}: host inventory, readiness checks, host tunables. */
@Command(name = "hostprep", description = "Host preparation: inventory, check, plan, apply, restore.")
final class HostprepCommand extends Subcommand {

    enum Action { INVENTORY, CHECK, PLAN, APPLY, RESTORE }

    @Parameters(index = "0", paramLabel = "inventory|check|plan|apply|restore", description = "What to do.")
    Action action;

    @Option(names = "--dedicated", paramLabel = "SET", description = "pCPUs for pinned guest vCPUs.")
    String dedicated;

    @Option(names = "--housekeeping", paramLabel = "SET", description = "pCPUs for the host's own work.")
    String housekeeping;

    @Option(names = "--check", description = "Only report what apply would change.")
    boolean check;

    @Override
    ExitStatus run() {
        throw NotAvailable.yet("hostprep " + action.name().toLowerCase(java.util.Locale.ROOT) + " (issue 6)");
    }
}
