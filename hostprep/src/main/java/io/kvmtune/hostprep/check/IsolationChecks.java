package io.kvmtune.hostprep.check;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.CgroupInfo.CpusetPartition;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.Isolation;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.IsolCpus;
import io.kvmtune.hostprep.sys.KernelCmdline;
import java.util.List;

/** Boot-time isolation of the dedicated CPUs: what realtime-virtual-host puts on the command line. */
final class IsolationChecks {

    private IsolationChecks() {
    }

    static List<ReadinessCheck> all() {
        return List.of(
                new ReadinessCheck("isolation.domain", "dedicated CPUs are outside the scheduler's load balancing",
                        IsolationChecks::domain),
                new ReadinessCheck("isolation.managed-irq", "isolcpus keeps managed IRQs off dedicated CPUs",
                        IsolationChecks::managedIrq),
                new ReadinessCheck("isolation.nohz-full", "dedicated CPUs run tickless (nohz_full)",
                        IsolationChecks::nohzFull),
                new ReadinessCheck("isolation.rcu-nocbs", "RCU callbacks are offloaded from dedicated CPUs",
                        IsolationChecks::rcuNocbs),
                new ReadinessCheck("isolation.irqaffinity", "boot-time IRQ affinity is the housekeeping set",
                        IsolationChecks::irqAffinity),
                new ReadinessCheck("cmdline.skew-tick", "skew_tick=1 staggers the per-CPU ticks",
                        (inv, p) -> token(inv, "skew_tick=1", "ticks of all CPUs fire together and contend on jiffies locks")),
                new ReadinessCheck("cmdline.tsc-reliable", "the TSC clocksource watchdog is off",
                        IsolationChecks::tscReliable),
                new ReadinessCheck("cmdline.nosoftlockup", "the soft-lockup detector is off",
                        (inv, p) -> token(inv, "nosoftlockup", "the watchdog thread and timer run on every CPU")));
    }

    private static Outcome domain(HostInventory inv, Partition p) {
        Isolation iso = inv.isolation();
        CpuSet ded = p.dedicated();
        for (CpusetPartition part : inv.cgroups().partitions()) {
            if (part.isValidIsolated() && part.cpus().value().map(c -> c.containsAll(ded)).orElse(false)) {
                return Outcome.pass("an isolated cgroup v2 cpuset partition " + part.cgroup() + " covers " + ded,
                        Evidence.of(part.cpus()));
            }
        }
        if (iso.isolated().value().isEmpty()) {
            return Outcome.unreadable(iso.isolated());
        }
        CpuSet isolated = iso.isolated().value().get();
        if (isolated.containsAll(ded)) {
            return Outcome.pass("isolated " + isolated, Evidence.of(iso.isolated()), Evidence.of(iso.isolcpus()));
        }
        return Outcome.fail("dedicated CPUs " + ded.minus(isolated) + " are still load-balanced: "
                        + "any runnable task can be moved onto them",
                "boot with isolcpus=managed_irq,domain," + ded + (inv.cgroups().v2HasCpuset()
                        ? ", or create an isolated cpuset partition (kvmtune hostprep apply)" : ""),
                Evidence.of(iso.isolated()), Evidence.of(iso.isolcpus()));
    }

    private static Outcome managedIrq(HostInventory inv, Partition p) {
        Fact<IsolCpus> isolcpus = inv.isolation().isolcpus();
        String remedy = "boot with isolcpus=managed_irq,domain," + p.dedicated();
        if (isolcpus.value().isEmpty()) {
            return isolcpus instanceof Fact.Unknown<?> u && u.absent()
                    ? Outcome.warn("no isolcpus=: drivers spread managed (multi-queue) IRQs over dedicated CPUs",
                            remedy, Evidence.of(isolcpus))
                    : Outcome.unreadable(isolcpus);
        }
        IsolCpus i = isolcpus.value().get();
        if (i.has("managed_irq") && i.cpus().containsAll(p.dedicated())) {
            return Outcome.pass("isolcpus=" + i.format(), Evidence.of(isolcpus));
        }
        return Outcome.warn("isolcpus=" + i.format() + " lacks managed_irq for all dedicated CPUs: "
                + "managed IRQs can still target them", remedy, Evidence.of(isolcpus));
    }

    private static Outcome nohzFull(HostInventory inv, Partition p) {
        Fact<CpuSet> active = inv.isolation().nohzFullActive();
        String remedy = "boot with nohz=on nohz_full=" + p.dedicated();
        if (active.value().isEmpty()) {
            if (active instanceof Fact.Unknown<?> u && u.absent()) {
                return Outcome.unsupported("kernel built without CONFIG_NO_HZ_FULL (" + active.path()
                        + " is absent): dedicated CPUs keep the periodic tick",
                        "a kernel with CONFIG_NO_HZ_FULL=y, then " + remedy, Evidence.of(active));
            }
            return Outcome.unreadable(active);
        }
        CpuSet missing = p.dedicated().minus(active.value().get());
        if (missing.isEmpty()) {
            return Outcome.pass("nohz_full " + active.value().get(), Evidence.of(active));
        }
        return Outcome.warn("CPUs " + missing + " keep the scheduler tick (" + tickHint(inv) + ")", remedy,
                Evidence.of(active), Evidence.of(inv.isolation().nohzFull()));
    }

    private static String tickHint(HostInventory inv) {
        return inv.kernel().configOption("CONFIG_HZ").map(hz -> hz + " interrupts per second each").orElse("one interrupt per jiffy");
    }

    private static Outcome rcuNocbs(HostInventory inv, Partition p) {
        Isolation iso = inv.isolation();
        CpuSet covered = iso.rcuNocbs().value().orElse(CpuSet.empty())
                // nohz_full CPUs are offloaded by the kernel whether or not rcu_nocbs= names them.
                .union(iso.nohzFullActive().value().orElse(CpuSet.empty()));
        CpuSet missing = p.dedicated().minus(covered);
        if (missing.isEmpty()) {
            return Outcome.pass("offloaded on " + covered, Evidence.of(iso.rcuNocbs()), Evidence.of(iso.nohzFullActive()));
        }
        if (inv.kernel().cmdline().value().isEmpty()) {
            return Outcome.unreadable(inv.kernel().cmdline());
        }
        return Outcome.warn("RCU callbacks still run on " + missing, "boot with rcu_nocbs=" + p.dedicated(),
                Evidence.of(iso.rcuNocbs()), Evidence.of(iso.nohzFullActive()));
    }

    private static Outcome irqAffinity(HostInventory inv, Partition p) {
        Fact<CpuSet> boot = inv.isolation().irqAffinity();
        String remedy = "boot with irqaffinity=" + p.housekeeping();
        if (boot.value().isEmpty()) {
            return boot instanceof Fact.Unknown<?> u && u.absent()
                    ? Outcome.warn("no irqaffinity=: IRQs set up before user space may target dedicated CPUs", remedy,
                            Evidence.of(boot))
                    : Outcome.unreadable(boot);
        }
        if (p.housekeeping().containsAll(boot.value().get())) {
            return Outcome.pass("irqaffinity=" + boot.value().get(), Evidence.of(boot));
        }
        return Outcome.warn("irqaffinity=" + boot.value().get() + " includes non-housekeeping CPUs", remedy, Evidence.of(boot));
    }

    private static Outcome tscReliable(HostInventory inv, Partition p) {
        if (inv.kernel().cmdline().value().isEmpty()) {
            return Outcome.unreadable(inv.kernel().cmdline());
        }
        KernelCmdline c = inv.kernel().cmdline().value().get();
        Evidence e = Evidence.of(inv.kernel().cmdline());
        if (c.has("tsc=reliable") || c.has("tsc=nowatchdog")) {
            return Outcome.pass("tsc=" + c.value("tsc").orElse(""), e);
        }
        return Outcome.warn("the clocksource watchdog periodically cross-checks the TSC on every CPU",
                "boot with tsc=reliable (only on hosts whose TSC is invariant: constant_tsc and nonstop_tsc flags)", e);
    }

    private static Outcome token(HostInventory inv, String token, String why) {
        if (inv.kernel().cmdline().value().isEmpty()) {
            return Outcome.unreadable(inv.kernel().cmdline());
        }
        Evidence e = Evidence.of(inv.kernel().cmdline());
        return inv.kernel().cmdline().value().get().has(token)
                ? Outcome.pass(token + " is set", e)
                : Outcome.warn(token + " is not set: " + why, "boot with " + token, e);
    }
}
