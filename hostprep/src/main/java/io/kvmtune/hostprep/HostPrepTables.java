package io.kvmtune.hostprep;

import io.kvmtune.core.cpumodel.CpuModelReport;
import io.kvmtune.core.cpumodel.HostModel;
import io.kvmtune.core.text.TextTable;
import io.kvmtune.hostprep.check.CheckReport;
import io.kvmtune.hostprep.check.CheckResult;
import io.kvmtune.hostprep.check.CheckStatus;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.inventory.GuestProcess;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.IrqInfo.Irq;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.tune.TunableChange;
import io.kvmtune.hostprep.tune.TunablePlan;
import io.kvmtune.hostprep.tune.TuneResult;
import java.util.Locale;

/** The {@code --format table} renderings of hostprep's results. */
public final class HostPrepTables {

    private HostPrepTables() {
    }

    public static String inventory(HostInventory inv) {
        TextTable t = new TextTable("ITEM", "VALUE", "SOURCE");
        var topo = inv.topology();
        t.row("cpus online", topo.online().describe(), topo.online().path());
        t.row("packages/cores/nodes", topo.packages() + "/" + topo.cores().size() + "/" + topo.nodes().size(), topo.source());
        t.row("kernel", inv.kernel().version().describe(), inv.kernel().version().path());
        t.row("preemption", inv.kernel().preemption() + (inv.kernel().preemptRt() ? " (PREEMPT_RT)" : ""), "/proc/version");
        t.row("isolcpus", inv.isolation().isolcpus().describe(), "/proc/cmdline");
        t.row("nohz_full (cmdline)", inv.isolation().nohzFull().describe(), "/proc/cmdline");
        t.row("rcu_nocbs", inv.isolation().rcuNocbs().describe(), "/proc/cmdline");
        t.row("irqaffinity", inv.isolation().irqAffinity().describe(), "/proc/cmdline");
        t.row("isolated", inv.isolation().isolated().describe(), inv.isolation().isolated().path());
        t.row("nohz_full (active)", inv.isolation().nohzFullActive().describe(), inv.isolation().nohzFullActive().path());
        t.row("sched_rt_runtime_us", inv.rt().runtimeUs().describe(), inv.rt().runtimeUs().path());
        t.row("fair server", inv.rt().fairServer().value().map(l -> l.size() + " cpus, cpu" + (l.isEmpty() ? "-" : l.getFirst().cpu()
                + " " + l.getFirst().runtimeNs() + "/" + l.getFirst().periodNs() + " ns")).orElse(inv.rt().fairServer().describe()),
                inv.rt().fairServer().path());
        t.row("rt group sched", inv.rt().rtGroupSched().describe(), inv.rt().rtGroupSched().path());
        t.row("cgroups", inv.cgroups().mode() + " partitions=" + inv.cgroups().partitions().size(), "/proc/mounts");
        t.row("clocksource", inv.clocksource().current().describe() + " of " + inv.clocksource().available().describe(),
                inv.clocksource().current().path());
        t.row("thp", inv.memory().thpEnabled().describe(), inv.memory().thpEnabled().path());
        inv.memory().hugePages().forEach(h -> t.row("hugepages node" + h.node() + " " + h.sizeKb() + "kB",
                h.total() + " (free " + h.free() + ")", "/sys/devices/system/node"));
        t.row("cpufreq governors", inv.power().governors().isEmpty() ? "no cpufreq" : inv.power().governorCpus().toString(),
                "/sys/devices/system/cpu/cpuN/cpufreq");
        t.row("cpuidle", inv.power().idleDriver().describe() + " " + inv.power().idleStates().stream()
                .map(s -> s.name() + ":" + s.latencyUs() + "us").toList(), inv.power().idleDriver().path());
        t.row("default_smp_affinity", inv.irqs().defaultAffinity().describe(), inv.irqs().defaultAffinity().path());
        for (Irq irq : inv.irqs().irqs()) {
            t.row("irq " + irq.irq() + (irq.actions().isEmpty() ? "" : " " + irq.actions()),
                    irq.requested().describe() + " (effective " + irq.effective().describe() + ")", irq.requested().path());
        }
        t.row("irqbalance", (inv.irqs().irqbalanceRunning() ? "running" : "not running") + ", banned "
                + inv.irqs().irqbalanceBanned().describe(), inv.irqs().irqbalanceBanned().path());
        t.row("workqueue cpumask", inv.workqueues().cpumask().describe(), inv.workqueues().cpumask().path());
        t.row("kvm", (inv.kvm().devKvm() ? "/dev/kvm" : "no /dev/kvm") + " " + inv.kvm().vendorModule().orElse("")
                + inv.kvm().hostHypervisor().map(h -> " (host is a " + h + " guest)").orElse(""), "/sys/module/kvm");
        inv.sysctls().forEach((name, f) -> t.row(name, f.describe(), f.path()));
        t.row("cpu models", cpuModels(inv.cpuModels()), inv.cpuModels().path());
        t.row("libvirt", inv.versions().libvirt().orElse("not installed"), "libvirtd --version");
        t.row("qemu", inv.versions().qemu().orElse("not installed"), "qemu-system-* --version");
        for (GuestProcess g : inv.guests()) {
            g.threads().forEach(th -> t.row("guest " + g.name() + " " + th.task().comm(),
                    "tid " + th.task().tid() + " cpus " + th.task().allowed() + " " + th.task().policyLabel()
                            + (th.task().rtPriority() > 0 ? ":" + th.task().rtPriority() : ""), th.cgroup()));
        }
        return t.render();
    }

    /** One line, with the reason when there is no report; {@code kvmtune cpu-models} lists the models. */
    private static String cpuModels(Fact<CpuModelReport> models) {
        return switch (models) {
            case Fact.Known<CpuModelReport> k -> k.data().runnableModels().size() + " of " + k.data().models().size()
                    + " runnable, host-model " + k.data().hostModel().map(HostModel::model).orElse("fits no named model");
            case Fact.Unknown<CpuModelReport> u -> u.reason();
        };
    }

    public static String checks(CheckReport report) {
        TextTable t = new TextTable("STATUS", "CHECK", "FINDING", "REMEDY");
        for (CheckResult r : report.results()) {
            t.row(r.status().name().toLowerCase(Locale.ROOT), r.id(), r.outcome().finding(), r.outcome().remedy());
        }
        StringBuilder out = new StringBuilder(t.render());
        Partition partition = report.partition();
        out.append('\n').append("partition: dedicated ")
                .append(partition.dedicated().isEmpty() ? "none" : partition.dedicated())
                .append(", housekeeping ").append(partition.housekeeping()).append('\n');
        report.counts().forEach((s, n) -> out.append(s.name().toLowerCase(Locale.ROOT)).append(' ').append(n)
                .append(s == CheckStatus.UNSUPPORTED ? "\n" : ", "));
        return out.toString();
    }

    public static String plan(TunablePlan plan, Suggestions suggestions) {
        StringBuilder out = new StringBuilder();
        if (plan.changes().isEmpty()) {
            out.append("runtime settings: nothing to change\n");
        } else {
            out.append(changes(plan.changes()));
        }
        plan.notes().forEach(n -> out.append("note: ").append(n).append('\n'));
        out.append("\nkernel command line (boot-time, not applied):\n  ").append(suggestions.boot().fragment()).append('\n');
        if (!suggestions.boot().missing().isEmpty()) {
            out.append("  missing now: ").append(String.join(" ", suggestions.boot().missing())).append('\n');
        }
        out.append("\nnova.conf:\n").append(suggestions.nova().render());
        return out.toString();
    }

    public static String result(TuneResult result) {
        StringBuilder out = new StringBuilder();
        out.append(result.failed() ? "FAILED: " : "").append(result.msg()).append('\n');
        if (!result.diff().isEmpty()) {
            out.append(changes(result.diff()));
        }
        result.skipped().forEach(s -> out.append("skipped ").append(s.id()).append(": ").append(s.reason()).append('\n'));
        return out.toString();
    }

    private static String changes(java.util.List<TunableChange> changes) {
        TextTable t = new TextTable("SETTING", "BEFORE", "AFTER", "FILE");
        changes.forEach(c -> t.row(c.id(), c.before(), c.after(), c.path()));
        return t.render();
    }
}
