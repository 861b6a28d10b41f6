package io.kvmtune.cli;

import io.kvmtune.hostprep.HostPrep;
import io.kvmtune.hostprep.HostPrepTables;
import io.kvmtune.hostprep.Suggestions;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.tune.TunablePlan;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kvmtune hostprep plan}: the runtime settings apply would change, the kernel command-line
 * fragment for the boot-time ones (printed, never applied) and the nova.conf lines for the partition.
 * JSON: {@code {"runtime": {partition, changed, diff, notes}, "kernel_cmdline": {fragment, missing},
 * "nova_conf": {compute, libvirt, comments}}}.
 */
@Command(name = "plan", description = "The runtime settings apply would change, the kernel command-line fragment "
        + "for the boot-time ones, and the nova.conf lines for the partition. Changes nothing.")
final class HostprepPlanCommand extends HostprepSubcommand {

    @Mixin
    PartitionOptions partition;

    @Mixin
    TunableSelection tunables;

    @Override
    ExitStatus run() {
        HostPrep host = host();
        Partition p = partition.resolve(host, global);
        TunablePlan plan = tunables.plan(host, p);
        Suggestions suggestions = host.suggest(p);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runtime", plan);
        json.put("kernel_cmdline", suggestions.boot());
        json.put("nova_conf", suggestions.nova());
        print(json, () -> HostPrepTables.plan(plan, suggestions));
        return ExitStatus.OK;
    }
}
