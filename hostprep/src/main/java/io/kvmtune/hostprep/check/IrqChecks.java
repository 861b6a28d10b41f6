package io.kvmtune.hostprep.check;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.IrqInfo;
import io.kvmtune.hostprep.inventory.IrqInfo.Irq;
import io.kvmtune.hostprep.sys.Fact;
import java.util.List;

/** Are interrupts kept off the dedicated CPUs, now and after irqbalance's next pass? */
final class IrqChecks {

    private IrqChecks() {
    }

    static List<ReadinessCheck> all() {
        return List.of(
                new ReadinessCheck("irq.affinity", "no IRQ is delivered to a dedicated CPU", IrqChecks::affinity),
                new ReadinessCheck("irq.default-affinity", "new IRQs start on housekeeping CPUs", IrqChecks::defaultAffinity),
                new ReadinessCheck("irq.irqbalance", "irqbalance will not move IRQs onto dedicated CPUs", IrqChecks::irqbalance));
    }

    private static Outcome affinity(HostInventory inv, Partition p) {
        List<Irq> irqs = inv.irqs().irqs();
        if (irqs.isEmpty()) {
            return Outcome.unsupported("no IRQ directories under /proc/irq", null, new Evidence("/proc/irq", "empty"));
        }
        List<Irq> delivered = irqs.stream()
                .filter(i -> i.effective().value().or(() -> i.requested().value()).map(c -> c.intersects(p.dedicated())).orElse(false))
                .toList();
        List<Irq> allowed = irqs.stream()
                .filter(i -> i.requested().value().map(c -> c.intersects(p.dedicated())).orElse(false))
                .toList();
        String remedy = "echo " + p.housekeeping() + " > /proc/irq/N/smp_affinity_list (kvmtune hostprep apply); "
                + "managed IRQs refuse this: boot with isolcpus=managed_irq,domain," + p.dedicated();
        if (!delivered.isEmpty()) {
            return Outcome.fail(delivered.size() + " IRQ(s) are delivered to dedicated CPUs: " + describe(delivered),
                    remedy, evidence(delivered));
        }
        if (!allowed.isEmpty()) {
            return Outcome.warn(allowed.size() + " IRQ(s) may be delivered to dedicated CPUs (their effective target is a "
                    + "housekeeping CPU today): " + describe(allowed), remedy, evidence(allowed));
        }
        return Outcome.pass(irqs.size() + " IRQs all on housekeeping CPUs",
                new Evidence("/proc/irq/*/effective_affinity_list", "none on " + p.dedicated()));
    }

    private static String describe(List<Irq> irqs) {
        return irqs.stream().limit(6)
                .map(i -> i.irq() + (i.actions().isEmpty() ? "" : "(" + i.actions() + ")") + "->"
                        + i.effective().value().or(() -> i.requested().value()).map(CpuSet::format).orElse("?"))
                .toList() + (irqs.size() > 6 ? " ..." : "");
    }

    private static Evidence[] evidence(List<Irq> irqs) {
        return irqs.stream().limit(6)
                .map(i -> i.effective().value().isPresent() ? Evidence.of(i.effective()) : Evidence.of(i.requested()))
                .toArray(Evidence[]::new);
    }

    private static Outcome defaultAffinity(HostInventory inv, Partition p) {
        Fact<CpuSet> def = inv.irqs().defaultAffinity();
        if (def.value().isEmpty()) {
            return Outcome.unreadable(def);
        }
        if (p.housekeeping().containsAll(def.value().get())) {
            return Outcome.pass("default_smp_affinity " + def.value().get(), Evidence.of(def));
        }
        return Outcome.warn("new IRQs may target " + def.value().get().minus(p.housekeeping()),
                "write the housekeeping mask to /proc/irq/default_smp_affinity (kvmtune hostprep apply)", Evidence.of(def));
    }

    private static Outcome irqbalance(HostInventory inv, Partition p) {
        IrqInfo irqs = inv.irqs();
        Evidence running = new Evidence("/proc/*/comm", irqs.irqbalanceRunning() ? "irqbalance running" : "irqbalance not running");
        if (!irqs.irqbalanceRunning()) {
            return Outcome.pass("irqbalance is not running", running);
        }
        Fact<CpuSet> banned = irqs.irqbalanceBanned();
        String remedy = "IRQBALANCE_BANNED_CPULIST=" + p.dedicated() + " in " + banned.path()
                + " and restart irqbalance, or stop it (systemctl disable --now irqbalance)";
        if (banned.value().isPresent()) {
            return banned.value().get().containsAll(p.dedicated())
                    ? Outcome.pass("irqbalance bans " + banned.value().get(), running, Evidence.of(banned))
                    : Outcome.fail("irqbalance bans only " + banned.value().get() + ": it will move IRQs onto "
                            + p.dedicated().minus(banned.value().get()), remedy, running, Evidence.of(banned));
        }
        // Without a banned list irqbalance keeps off isolcpus and nohz_full CPUs on its own.
        CpuSet auto = inv.isolation().isolated().value().orElse(CpuSet.empty())
                .union(inv.isolation().nohzFullActive().value().orElse(CpuSet.empty()));
        if (auto.containsAll(p.dedicated())) {
            return Outcome.pass("irqbalance avoids the isolated/nohz_full CPUs " + auto + " by itself", running,
                    Evidence.of(banned));
        }
        return Outcome.fail("irqbalance runs with no banned list and the dedicated CPUs are not isolated: it will spread "
                + "IRQs onto them", remedy, running, Evidence.of(banned));
    }
}
