package io.kvmtune.cli;

import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kvmtune plan}: validate a request and print its plan; claims nothing. */
@Command(name = "plan", description = "Validate the request and print the plan; claims nothing.")
final class PlanCommand extends Subcommand {

    @Mixin
    RequestOptions request;

    @Override
    Set<OutputFormat> formats() {
        return EnumSet.allOf(OutputFormat.class);
    }

    @Override
    ExitStatus run() {
        request.vcpus();
        request.flavorSpecs();
        request.imageProps();
        throw NotAvailable.yet("plan: request validation and the planner (issue 3)");
    }
}
