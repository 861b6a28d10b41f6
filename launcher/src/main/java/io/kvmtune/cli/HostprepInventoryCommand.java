package io.kvmtune.cli;

import io.kvmtune.hostprep.HostPrepTables;
import io.kvmtune.hostprep.inventory.HostInventory;
import picocli.CommandLine.Command;

/**
 * {@code kvmtune hostprep inventory}: everything hostprep reads about this host, each value with
 * the file it came from. The JSON carries the CPU model report under {@code cpu_models}, so it is
 * also what another host's {@code kvmtune cpu-models --compare} takes.
 */
@Command(name = "inventory", description = "What this host has: topology, kernel, isolation, RT throttling, cgroups, "
        + "clocksource, memory, power, IRQs, workqueues, KVM, versions, guests and libvirt CPU models.")
final class HostprepInventoryCommand extends HostprepSubcommand {

    @Override
    ExitStatus run() {
        HostInventory inventory = host().inventory();
        print(inventory, () -> HostPrepTables.inventory(inventory));
        return ExitStatus.OK;
    }
}
