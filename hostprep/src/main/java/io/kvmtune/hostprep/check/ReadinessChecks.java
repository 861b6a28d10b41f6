package io.kvmtune.hostprep.check;

import io.kvmtune.hostprep.inventory.HostInventory;
import java.util.ArrayList;
import java.util.List;

/**
 * The readiness checks: everything tuned's realtime-virtual-host and cpu-partitioning profiles
 * set, plus what tuned cannot see (thread placement, RT budgets, QEMU cpusets, the partition's
 * own soundness).
 */
public final class ReadinessChecks {

    private ReadinessChecks() {
    }

    /** Every check, in report order. */
    public static List<ReadinessCheck> all() {
        List<ReadinessCheck> checks = new ArrayList<>();
        checks.addAll(PartitionChecks.all());
        checks.addAll(IsolationChecks.all());
        checks.addAll(RealtimeChecks.all());
        checks.addAll(IrqChecks.all());
        checks.addAll(HousekeepingChecks.all());
        checks.addAll(PlatformChecks.all());
        checks.addAll(ThreadChecks.all());
        return List.copyOf(checks);
    }

    /** Runs every check against one inventory. */
    public static CheckReport run(HostInventory inventory, Partition partition) {
        return new CheckReport(partition, all().stream().map(c -> c.evaluate(inventory, partition)).toList());
    }
}
