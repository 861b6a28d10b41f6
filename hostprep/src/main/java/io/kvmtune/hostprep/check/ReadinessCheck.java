package io.kvmtune.hostprep.check;

import io.kvmtune.hostprep.inventory.HostInventory;
import java.util.function.BiFunction;

/**
 * One rule over the inventory and the partition: pure, so it is tested on inventories read from
 * fake trees.
 *
 * @param id stable identifier ({@code rt.throttling})
 * @param title what it checks
 * @param rule the judgement
 */
public record ReadinessCheck(String id, String title, BiFunction<HostInventory, Partition, Outcome> rule) {

    /**
     * Runs the rule. A rule that throws is a bug in kvmtune, but the operator still gets every
     * other verdict: it becomes an unsupported result that says so instead of aborting the report.
     */
    public CheckResult evaluate(HostInventory inventory, Partition partition) {
        Outcome outcome;
        try {
            outcome = rule.apply(inventory, partition);
        } catch (RuntimeException e) {
            outcome = Outcome.unsupported("internal error in check " + id + ": " + e, null);
        }
        return new CheckResult(id, title, outcome);
    }
}
