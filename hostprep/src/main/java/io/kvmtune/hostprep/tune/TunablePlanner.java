package io.kvmtune.hostprep.tune;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.inventory.CgroupInfo;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.IrqInfo.Irq;
import io.kvmtune.hostprep.inventory.RtThrottling.RtBudget;
import io.kvmtune.hostprep.sys.CpuMasks;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.HostFs;
import io.kvmtune.hostprep.sys.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which runtime settings to change for a partition: a pure function of the inventory,
 * so {@code --check} and {@code apply} see the same diff.
 *
 * <p>Order matters for apply (and, reversed, for restore): global RT runtime before cgroup RT
 * budgets, the root's {@code subtree_control} before a partition's files, {@code cpuset.cpus}
 * before {@code cpuset.cpus.partition}.
 */
public final class TunablePlanner {

    /** The sysctls of tuned's network-latency and realtime profiles, with their wanted values. */
    private static final List<Map.Entry<String, String>> SYSCTLS = List.of(
            Map.entry("kernel.sched_rt_runtime_us", "-1"),
            Map.entry("kernel.timer_migration", "0"),
            Map.entry("vm.stat_interval", "10"),
            Map.entry("kernel.numa_balancing", "0"),
            Map.entry("kernel.nmi_watchdog", "0"));

    private TunablePlanner() {
    }

    /**
     * The changes for {@code p}. {@code fs} is read only for an opt-in cpuset partition, whose
     * group files the inventory does not hold.
     */
    public static TunablePlan plan(HostInventory inv, Partition p, TunableOptions options, HostFs fs) {
        List<TunableChange> changes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> sysctl : SYSCTLS) {
            String name = sysctl.getKey();
            inv.sysctl(name).value().ifPresentOrElse(
                    now -> add(changes, "sysctl." + name, Sysctl.path(name), ValueFormat.TEXT, now, sysctl.getValue()),
                    () -> notes.add(name + ": " + inv.sysctl(name).describe() + ", left alone"));
        }
        hungTask(inv, changes);
        rtBudget(inv, changes, notes);
        CpuSet hk = p.housekeeping();
        for (Irq irq : inv.irqs().irqs()) {
            irq.requested().value().filter(now -> !hk.containsAll(now)).ifPresent(now ->
                    add(changes, "irq." + irq.irq() + ".affinity", irq.requested().path(), ValueFormat.CPU_LIST,
                            now.format(), hk.format()));
        }
        mask(changes, notes, "irq.default-affinity", inv.irqs().defaultAffinity(), hk);
        mask(changes, notes, "workqueue.cpumask", inv.workqueues().cpumask(), hk);
        inv.workqueues().queues().forEach((name, mask) -> mask(changes, notes, "workqueue." + name + ".cpumask", mask, hk));
        inv.memory().thpEnabled().value().ifPresentOrElse(
                now -> add(changes, "thp.enabled", inv.memory().thpEnabled().path(), ValueFormat.SELECTED_WORD, now, "never"),
                () -> notes.add("transparent huge pages: " + inv.memory().thpEnabled().describe()));
        if (inv.power().governors().isEmpty()) {
            notes.add("cpufreq governor: no cpufreq on this host");
        }
        p.dedicated().forEach(cpu -> {
            String g = inv.power().governors().get(cpu);
            if (g != null) {
                add(changes, "cpufreq.cpu" + cpu + ".governor",
                        "/sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor", ValueFormat.TEXT, g, "performance");
            }
        });
        options.partitionCgroup().ifPresent(group -> partition(inv, p, group, fs, changes, notes));
        return new TunablePlan(p, changes, notes);
    }

    private static void hungTask(HostInventory inv, List<TunableChange> changes) {
        String name = "kernel.hung_task_timeout_secs";
        inv.sysctl(name).value().ifPresent(now -> {
            long v = parseOr(now, 0);
            // 0 disables the detector: already as quiet as it gets.
            if (v != 0 && v < 600) {
                add(changes, "sysctl." + name, Sysctl.path(name), ValueFormat.TEXT, now, "600");
            }
        });
    }

    /**
     * With RT group scheduling on cgroup v1, gives libvirt's machine group the RT budget its
     * guests' groups draw from: what the root has left after its other children.
     */
    private static void rtBudget(HostInventory inv, List<TunableChange> changes, List<String> notes) {
        if (!inv.rt().rtGroupSched().value().orElse(false)) {
            return;
        }
        List<RtBudget> budgets = inv.rt().budgets();
        Optional<RtBudget> root = budgets.stream().filter(b -> b.cgroup().equals("/")).findFirst();
        Optional<RtBudget> machine = budgets.stream()
                .filter(b -> b.cgroup().equals("/machine.slice") || b.cgroup().equals("/machine"))
                .findFirst();
        if (root.isEmpty() || machine.isEmpty()) {
            notes.add("RT budget: no libvirt machine group in the cgroup v1 cpu hierarchy yet");
            return;
        }
        long rootRuntime = root.get().runtimeUs() < 0 ? inv.rt().runtimeUs().value().orElse(950_000L) : root.get().runtimeUs();
        long siblings = budgets.stream()
                .filter(b -> isChildOfRoot(b.cgroup()) && !b.cgroup().equals(machine.get().cgroup()))
                .mapToLong(b -> Math.max(0, b.runtimeUs()))
                .sum();
        long available = (rootRuntime < 0 ? inv.rt().periodUs().value().orElse(1_000_000L) : rootRuntime) - siblings;
        if (available <= 0) {
            notes.add("RT budget: the root cpu group has no RT runtime left for " + machine.get().cgroup());
            return;
        }
        if (machine.get().runtimeUs() < available) {
            add(changes, "rt-budget." + machine.get().cgroup().substring(1), machine.get().path(), ValueFormat.TEXT,
                    String.valueOf(machine.get().runtimeUs()), String.valueOf(available));
        }
    }

    private static boolean isChildOfRoot(String cgroup) {
        return cgroup.length() > 1 && cgroup.indexOf('/', 1) < 0;
    }

    private static void mask(List<TunableChange> changes, List<String> notes, String id, Fact<CpuSet> now, CpuSet wanted) {
        now.value().ifPresentOrElse(
                set -> add(changes, id, now.path(), ValueFormat.CPU_MASK, CpuMasks.format(set), CpuMasks.format(wanted)),
                () -> notes.add(id + ": " + now.path() + " " + now.describe()));
    }

    private static void partition(HostInventory inv, Partition p, String group, HostFs fs,
            List<TunableChange> changes, List<String> notes) {
        CgroupInfo cg = inv.cgroups();
        if (cg.v2Mount().isEmpty() || !cg.v2HasCpuset()) {
            notes.add("cpuset partition: needs a cgroup v2 hierarchy with the cpuset controller (mode " + cg.mode() + ")");
            return;
        }
        if (inv.kernel().version().value().map(v -> !v.atLeast(6, 1)).orElse(true)) {
            notes.add("cpuset partition: isolated partitions need Linux 6.1 or later");
            return;
        }
        String mount = cg.v2Mount().get();
        String dir = mount + (group.startsWith("/") ? group : "/" + group);
        // The controller must be enabled in every ancestor's subtree_control; planned for the root
        // only, so a deeper group must already have the controller enabled on the way down.
        if (!fs.isDirectory(dir)) {
            notes.add("cpuset partition: cgroup " + dir + " does not exist; create it and move the guests into it first");
            return;
        }
        String rootControl = mount + "/cgroup.subtree_control";
        Fact<String> control = Fact.text(fs, rootControl);
        Fact<String> cpus = Fact.text(fs, dir + "/cpuset.cpus");
        Fact<String> type = Fact.text(fs, dir + "/cpuset.cpus.partition");
        if (control.value().isEmpty() || cpus.value().isEmpty() || type.value().isEmpty()) {
            notes.add("cpuset partition: cannot read " + dir + " (" + control.describe() + ", " + cpus.describe()
                    + ", " + type.describe() + ")");
            return;
        }
        String now = control.value().get();
        if (!(" " + now + " ").contains(" cpuset ")) {
            add(changes, "cgroup.subtree-control", rootControl, ValueFormat.CONTROLLERS, now, (now + " cpuset").strip());
        }
        String id = "cpuset" + dir.substring(mount.length()).replace('/', '.');
        add(changes, id + ".cpus", cpus.path(), ValueFormat.CPU_LIST, cpus.value().get(), p.dedicated().format());
        add(changes, id + ".partition", type.path(), ValueFormat.TEXT, type.value().get(), "isolated");
    }

    private static void add(List<TunableChange> changes, String id, String path, ValueFormat format, String now,
            String wanted) {
        TunableChange c = new TunableChange(id, path, format, format.normalize(now), format.normalize(wanted));
        if (!c.isNoop()) {
            changes.add(c);
        }
    }

    private static long parseOr(String s, long fallback) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
