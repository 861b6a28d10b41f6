package io.kvmtune.cli;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.libvirt.PlanXml;
import io.kvmtune.core.plan.PlanTable;
import io.kvmtune.core.plan.TuningPlan;
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
        HostInputs host = request.host(global.configFile());
        TuningPlan plan = host.plan(host.request(request.flavorSpecs(), request.imageProps(), request.vcpus()),
                request.claimedByOthers());
        switch (format()) {
            case TABLE -> out().print(PlanTable.format(plan));
            case JSON -> out().println(Json.pretty(plan));
            case XML -> out().print(PlanXml.render(plan, host.policy().virtType()));
        }
        return ExitStatus.OK;
    }
}
