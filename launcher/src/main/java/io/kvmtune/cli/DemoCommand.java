package io.kvmtune.cli;

import picocli.CommandLine.Command;

/** {@code kvmtune demo}: the main job on a throwaway paused QEMU guest. */
@Command(name = "demo", description = "Throwaway paused guest: planned, applied, shown, verified, restored, stopped.")
final class DemoCommand extends Subcommand {

    @Override
    ExitStatus run() {
        throw NotAvailable.yet("demo: the planner (issue 3), the throwaway guest and the apply engine (issue 4)");
    }
}
