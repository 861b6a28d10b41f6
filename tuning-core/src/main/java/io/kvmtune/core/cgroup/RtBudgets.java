package io.kvmtune.core.cgroup;

import io.kvmtune.core.DoesNotFitException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Hands realtime runtime to the cgroup v1 {@code cpu} groups of realtime vCPUs on kernels with
 * {@code CONFIG_RT_GROUP_SCHED}, where a group with {@code cpu.rt_runtime_us = 0} (every group
 * libvirt creates) refuses SCHED_FIFO with EPERM.
 *
 * <p>The kernel demands that the runtimes of a group's children add up to no more than the
 * group's own (Documentation/scheduler/sched-rt-group.rst), so a leaf's budget has to be made
 * room for along its whole chain of ancestors: each ancestor is raised just enough, ancestors
 * first. The hierarchy root is never written; its budget (the global
 * {@code kernel.sched_rt_runtime_us}) is the capacity. Pure arithmetic: the caller reads the
 * groups and writes the result.
 */
public final class RtBudgets {

    /** The control file holding a group's realtime runtime per period. */
    public static final String RUNTIME_FILE = "cpu.rt_runtime_us";
    /** The control file holding a group's realtime period. */
    public static final String PERIOD_FILE = "cpu.rt_period_us";

    private RtBudgets() {
    }

    /**
     * The writes that give every leaf without runtime a budget, ancestors first; leaves that
     * already have runtime keep it, so allocating twice changes nothing the second time.
     *
     * @param chain the hierarchy root first, down to the group that holds the leaves
     * @param leaves the realtime vCPU groups, all direct children of the chain's last group
     * @param perLeafUs the runtime per leaf; empty for an equal share of all the runtime still
     *     free along the chain
     * @throws DoesNotFitException when the chain cannot give that much (key {@code rt_runtime_us})
     * @throws IllegalArgumentException when the groups do not form such a chain or their periods
     *     differ (budgets are compared in microseconds of one period)
     */
    public static List<RtWrite> allocate(List<RtGroupBudget> chain, List<RtGroupBudget> leaves, OptionalLong perLeafUs) {
        if (chain.isEmpty() || !chain.getFirst().group().isRoot()) {
            throw new IllegalArgumentException("the chain must start at the hierarchy root");
        }
        for (int i = 1; i < chain.size(); i++) {
            requireChild(chain.get(i - 1), chain.get(i));
        }
        RtGroupBudget holder = chain.getLast();
        for (RtGroupBudget leaf : leaves) {
            requireChild(holder, leaf);
        }
        List<RtGroupBudget> needy = leaves.stream().filter(l -> l.runtimeUs() == 0).toList();
        if (needy.isEmpty()) {
            return List.of();
        }
        long slack = chain.stream().mapToLong(RtGroupBudget::slackUs).sum();
        long period = chain.getFirst().periodUs();
        long perLeaf = perLeafUs.orElse(slack / needy.size());
        if (perLeaf <= 0 || perLeaf > period || perLeaf * needy.size() > slack) {
            throw new DoesNotFitException("rt_runtime_us", Long.toString(perLeaf),
                    "cannot give " + needy.size() + " realtime vCPU group(s) " + perLeaf + " us of realtime runtime"
                            + " per " + period + " us each: only " + slack + " us are free along "
                            + holder.group() + " and its ancestors (cpu.rt_runtime_us of children may not add up"
                            + " to more than their parent's)");
        }
        // Bottom-up: how far each ancestor must rise so that its children (one of them raised) still fit.
        long[] target = new long[chain.size()];
        long raise = perLeaf * needy.size();
        for (int i = chain.size() - 1; i >= 1; i--) {
            RtGroupBudget g = chain.get(i);
            long need = g.childrenRuntimeUs() + raise;
            target[i] = Math.max(g.runtimeUs(), need);
            raise = target[i] - g.runtimeUs();
        }
        if (raise > chain.getFirst().slackUs()) {
            throw new IllegalStateException("budget arithmetic left the root over-committed by " + raise + " us");
        }
        List<RtWrite> writes = new ArrayList<>();
        for (int i = 1; i < chain.size(); i++) {
            RtGroupBudget g = chain.get(i);
            if (target[i] != g.runtimeUs()) {
                writes.add(new RtWrite(g.group(), g.runtimeUs(), target[i]));
            }
        }
        for (RtGroupBudget leaf : needy) {
            writes.add(new RtWrite(leaf.group(), 0, perLeaf));
        }
        return writes;
    }

    private static void requireChild(RtGroupBudget parent, RtGroupBudget child) {
        if (!child.group().parent().map(parent.group()::equals).orElse(false)) {
            throw new IllegalArgumentException(child.group() + " is not a child of " + parent.group());
        }
        if (child.periodUs() != parent.periodUs()) {
            throw new IllegalArgumentException(child.group() + " has cpu.rt_period_us " + child.periodUs()
                    + " but its parent " + parent.group() + " has " + parent.periodUs()
                    + "; kvmtune only shares runtime between groups with one period");
        }
    }
}
