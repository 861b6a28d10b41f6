package io.kvmtune.core.cgroup;

import io.kvmtune.core.DoesNotFitException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Shares realtime runtime among every realtime vCPU group on the host, whichever guests they
 * belong to: each gets the same runtime per period, as much as the hierarchy allows (at most one
 * period: a full CPU), and each group above them exactly enough for its children. Pure
 * arithmetic over budgets read by the caller.
 *
 * <p>The kernel demands that the runtimes of a group's children add up to no more than the
 * group's own, and that no group has more runtime than its period
 * (Documentation/scheduler/sched-rt-group.rst). Runtime held by groups kvmtune does not manage
 * (other children along the chains) is left to them; a group kvmtune raised never goes below the
 * value it had before kvmtune first touched it (its floor).
 */
public final class RtShares {

    private RtShares() {
    }

    /**
     * The runtime per leaf and the value of every managed group that gives it.
     *
     * @param perLeafUs the runtime each realtime vCPU group gets
     * @param targets every managed group below the root (leaves and their ancestors) with its runtime
     */
    public record Shares(long perLeafUs, Map<CgroupGroup, Long> targets) {

        public Shares {
            targets = Map.copyOf(targets);
        }
    }

    /**
     * @param root the hierarchy root's budget: its runtime (-1 for no limit, then one period) is the capacity
     * @param managed every group from the leaves up to (not including) the root, with its budget now
     * @param leaves the realtime vCPU groups among {@code managed}
     * @param floors for managed non-leaf groups kvmtune raised before, the runtime they had then;
     *     a group not listed is not lowered below the runtime it has now
     * @param fixedUs a runtime per leaf to give (checked), or empty for as much as fits
     * @throws DoesNotFitException (key {@code rt_runtime_us}) when not even 1 us per leaf, or not
     *     {@code fixedUs}, fits
     */
    public static Shares share(RtGroupBudget root, Map<CgroupGroup, RtGroupBudget> managed, Set<CgroupGroup> leaves,
            Map<CgroupGroup, Long> floors, OptionalLong fixedUs) {
        Tree tree = new Tree(root, managed, leaves, floors);
        long period = root.periodUs();
        if (fixedUs.isPresent()) {
            if (fixedUs.getAsLong() > period || tree.need(fixedUs.getAsLong()) == null) {
                throw tree.doesNotFit(fixedUs.getAsLong());
            }
            return new Shares(fixedUs.getAsLong(), tree.need(fixedUs.getAsLong()));
        }
        if (tree.need(1) == null) {
            throw tree.doesNotFit(1);
        }
        long low = 1;
        long high = period;
        while (low < high) { // the largest share that fits: fitting is monotone in the share
            long mid = low + (high - low + 1) / 2;
            if (tree.need(mid) != null) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return new Shares(low, tree.need(low));
    }

    /**
     * Writes that move the groups from {@code current} to {@code targets} without the kernel ever
     * seeing children with more runtime than their parent: lowering deepest first, then raising
     * shallowest first.
     */
    public static List<RtWrite> ordered(Map<CgroupGroup, Long> targets, Map<CgroupGroup, Long> current) {
        Comparator<CgroupGroup> shallowerFirst = Comparator.comparingInt(RtShares::depth).thenComparing(CgroupGroup::path);
        Comparator<CgroupGroup> deeperFirst = Comparator.comparingInt(RtShares::depth).reversed()
                .thenComparing(CgroupGroup::path);
        List<RtWrite> writes = new ArrayList<>();
        targets.keySet().stream().filter(g -> targets.get(g) < current.getOrDefault(g, 0L)).sorted(deeperFirst)
                .forEach(g -> writes.add(new RtWrite(g, current.getOrDefault(g, 0L), targets.get(g))));
        targets.keySet().stream().filter(g -> targets.get(g) > current.getOrDefault(g, 0L)).sorted(shallowerFirst)
                .forEach(g -> writes.add(new RtWrite(g, current.getOrDefault(g, 0L), targets.get(g))));
        return writes;
    }

    private static int depth(CgroupGroup g) {
        return g.isRoot() ? 0 : (int) g.path().chars().filter(c -> c == '/').count();
    }

    /** The managed groups as a tree hanging from the root, with what others hold in each. */
    private static final class Tree {
        private final RtGroupBudget root;
        private final Map<CgroupGroup, RtGroupBudget> managed;
        private final Set<CgroupGroup> leaves;
        private final Map<CgroupGroup, Long> floors;
        private final Map<CgroupGroup, List<CgroupGroup>> children = new LinkedHashMap<>();
        private final Map<CgroupGroup, Long> others = new HashMap<>();

        Tree(RtGroupBudget root, Map<CgroupGroup, RtGroupBudget> managed, Set<CgroupGroup> leaves,
                Map<CgroupGroup, Long> floors) {
            this.root = root;
            this.managed = managed;
            this.leaves = leaves;
            this.floors = floors;
            children.put(root.group(), new ArrayList<>());
            managed.keySet().stream().sorted(Comparator.comparing(CgroupGroup::path))
                    .forEach(g -> children.put(g, new ArrayList<>()));
            for (CgroupGroup g : managed.keySet()) {
                if (managed.get(g).periodUs() != root.periodUs()) {
                    throw new IllegalArgumentException(g + " has cpu.rt_period_us " + managed.get(g).periodUs()
                            + " but the root has " + root.periodUs() + "; kvmtune only shares runtime between groups"
                            + " with one period");
                }
                CgroupGroup parent = g.parent().orElseThrow();
                List<CgroupGroup> siblings = children.get(parent);
                if (siblings == null) {
                    throw new IllegalArgumentException(g + " is managed but its parent " + parent + " is not");
                }
                siblings.add(g);
            }
            for (Map.Entry<CgroupGroup, List<CgroupGroup>> e : children.entrySet()) {
                RtGroupBudget b = e.getKey().isRoot() ? root : managed.get(e.getKey());
                long mine = e.getValue().stream().mapToLong(c -> Math.max(0, managed.get(c).runtimeUs())).sum();
                others.put(e.getKey(), Math.max(0, b.childrenRuntimeUs() - mine));
            }
        }

        /** Every managed group's runtime for {@code perLeaf} per leaf, or null when that does not fit. */
        Map<CgroupGroup, Long> need(long perLeaf) {
            Map<CgroupGroup, Long> out = new HashMap<>();
            long rootChildren = others.get(root.group());
            for (CgroupGroup c : children.get(root.group())) {
                Long n = need(c, perLeaf, out);
                if (n == null) {
                    return null;
                }
                rootChildren += n;
            }
            long capacity = root.runtimeUs() < 0 ? root.periodUs() : root.runtimeUs();
            return rootChildren <= capacity ? out : null;
        }

        private Long need(CgroupGroup g, long perLeaf, Map<CgroupGroup, Long> out) {
            long n;
            if (leaves.contains(g)) {
                n = perLeaf;
            } else {
                long sum = others.get(g);
                for (CgroupGroup c : children.get(g)) {
                    Long cn = need(c, perLeaf, out);
                    if (cn == null) {
                        return null;
                    }
                    sum += cn;
                }
                n = Math.max(floors.getOrDefault(g, managed.get(g).runtimeUs()), sum);
            }
            if (n > managed.get(g).periodUs()) {
                return null;
            }
            out.put(g, n);
            return n;
        }

        DoesNotFitException doesNotFit(long perLeaf) {
            return new DoesNotFitException("rt_runtime_us", Long.toString(perLeaf), "cannot give each of the "
                    + leaves.size() + " realtime vCPU group(s) on this host " + perLeaf + " us of realtime runtime per "
                    + root.periodUs() + " us: the root " + root.group() + " allows " + root.runtimeUs()
                    + " us for all its children, other groups hold " + others.get(root.group())
                    + " us (cpu.rt_runtime_us of children may not add up to more than their parent's)");
        }
    }
}
