package io.kvmtune.hostprep;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.check.CheckReport;
import io.kvmtune.hostprep.check.CheckStatus;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.check.ReadinessChecks;
import io.kvmtune.hostprep.inventory.CgroupMode;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.PreemptModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness checks on four kinds of host, built as fake /proc and /sys trees: each test asserts
 * the outcomes that differ between kernels and cgroup layouts.
 */
class HostScenariosTest {

    private static final Partition PARTITION = new Partition(CpuSet.range(2, 7), CpuSet.range(0, 1));
    private static final String ISOLATED_CMDLINE =
            "ro isolcpus=managed_irq,domain,2-7 nohz=on nohz_full=2-7 rcu_nocbs=2-7 irqaffinity=0-1 skew_tick=1 "
                    + "tsc=reliable nosoftlockup";

    @TempDir
    Path root;

    private static CheckStatus status(CheckReport r, String id) {
        return r.result(id).status();
    }

    /** RHEL 9 style: 5.14, cgroup v1, RT group scheduling on, libvirt's machine group without RT budget. */
    @Test
    void el9CgroupV1HostFailsSchedFifoBecauseTheMachineGroupHasNoRtBudget() {
        FakeHost host = FakeHost.baseline(root, "5.14.0-284.11.1.el9_2.x86_64", "SMP PREEMPT_DYNAMIC", 8, 1)
                .cmdline(ISOLATED_CMDLINE)
                .file("/sys/devices/system/cpu/isolated", "2-7\n")
                .file("/sys/devices/system/cpu/nohz_full", "2-7\n")
                .config("CONFIG_RT_GROUP_SCHED=y", "CONFIG_HZ=1000", "CONFIG_NO_HZ_FULL=y")
                .cgroupV1(true)
                .cpuGroupV1("/machine.slice", 0);
        HostInventory inv = host.read();
        CheckReport r = ReadinessChecks.run(inv, PARTITION);

        assertThat(inv.cgroups().mode()).isEqualTo(CgroupMode.V1);
        assertThat(inv.kernel().preemption()).isEqualTo(PreemptModel.DYNAMIC);
        assertThat(status(r, "rt.group-sched")).isEqualTo(CheckStatus.FAIL);
        assertThat(r.result("rt.group-sched").outcome().finding()).contains("/machine.slice").contains("EPERM");
        assertThat(status(r, "rt.fair-server")).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(r.result("rt.fair-server").outcome().finding()).contains("predates the fair server");
        assertThat(status(r, "rt.throttling")).isEqualTo(CheckStatus.WARN);
        assertThat(status(r, "isolation.domain")).isEqualTo(CheckStatus.PASS);
        assertThat(status(r, "isolation.nohz-full")).isEqualTo(CheckStatus.PASS);
        assertThat(status(r, "isolation.managed-irq")).isEqualTo(CheckStatus.PASS);
        assertThat(status(r, "kernel.preempt-rt")).isEqualTo(CheckStatus.WARN);
        assertThat(r.failed()).isTrue();
    }

    /** Debian 12 style: 6.1, pure cgroup v2, no RT group scheduling, isolation by a cpuset partition. */
    @Test
    void debian12CgroupV2HostIsIsolatedByAnIsolatedPartitionAndHasNoNohzFull() {
        FakeHost host = FakeHost.baseline(root, "6.1.0-18-amd64", "SMP PREEMPT_DYNAMIC", 8, 1)
                .config("# CONFIG_RT_GROUP_SCHED is not set", "CONFIG_HZ=250")
                .cgroupV2("cpuset cpu io memory pids")
                .partitionV2("/rt.slice", "isolated", CpuSet.range(2, 7));
        HostInventory inv = host.read();
        CheckReport r = ReadinessChecks.run(inv, PARTITION);

        assertThat(inv.cgroups().mode()).isEqualTo(CgroupMode.V2);
        assertThat(inv.cgroups().partitions()).singleElement()
                .satisfies(p -> assertThat(p.cgroup()).isEqualTo("/rt.slice"));
        assertThat(status(r, "isolation.domain")).isEqualTo(CheckStatus.PASS);
        assertThat(r.result("isolation.domain").outcome().finding()).contains("cpuset partition /rt.slice");
        assertThat(status(r, "rt.group-sched")).isEqualTo(CheckStatus.PASS);
        assertThat(status(r, "rt.fair-server")).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(status(r, "isolation.nohz-full")).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(r.result("isolation.nohz-full").outcome().finding()).contains("CONFIG_NO_HZ_FULL");
        assertThat(status(r, "isolation.managed-irq")).isEqualTo(CheckStatus.WARN);
        // Baseline IRQ 25 is delivered to CPU 7, a dedicated CPU.
        assertThat(status(r, "irq.affinity")).isEqualTo(CheckStatus.FAIL);
    }

    /** 6.12+: the fair server protects ordinary tasks, so unlimited RT runtime is safe. */
    @Test
    void kernel612WithFairServerPassesUnlimitedRtRuntime() {
        FakeHost host = FakeHost.baseline(root, "6.12.9", "SMP PREEMPT_DYNAMIC", 8, 1)
                .sysctl("kernel.sched_rt_runtime_us", "-1")
                .fairServer(50_000_000, 1_000_000_000)
                .config("# CONFIG_RT_GROUP_SCHED is not set")
                .cgroupV2("cpuset cpu memory");
        CheckReport r = ReadinessChecks.run(host.read(), PARTITION);

        assertThat(status(r, "rt.throttling")).isEqualTo(CheckStatus.PASS);
        assertThat(status(r, "rt.fair-server")).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void kernel612WithFairServerOffOnADedicatedCpuAndUnlimitedRuntimeFails() {
        FakeHost host = FakeHost.baseline(root, "6.12.9", "SMP PREEMPT_DYNAMIC", 8, 1)
                .sysctl("kernel.sched_rt_runtime_us", "-1")
                .fairServer(50_000_000, 1_000_000_000)
                .fairServer(3, 0, 1_000_000_000)
                .config("# CONFIG_RT_GROUP_SCHED is not set");
        CheckReport r = ReadinessChecks.run(host.read(), PARTITION);

        assertThat(status(r, "rt.fair-server")).isEqualTo(CheckStatus.FAIL);
        assertThat(r.result("rt.fair-server").outcome().finding()).contains("[3]");
        assertThat(status(r, "rt.throttling")).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void kernel612WithoutDebugfsCannotSeeTheFairServer() {
        FakeHost host = FakeHost.baseline(root, "6.12.9", "SMP PREEMPT_DYNAMIC", 8, 1);
        CheckReport r = ReadinessChecks.run(host.read(), PARTITION);

        assertThat(status(r, "rt.fair-server")).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(r.result("rt.fair-server").outcome().remedy()).contains("debugfs");
    }

    /** PREEMPT_RT: the kernel passes, and the per-CPU kthreads must outrank FIFO vCPUs. */
    @Test
    void preemptRtHostPassesPreemptionAndFlagsSchedOtherKthreadsOnDedicatedCpus() {
        FakeHost host = FakeHost.baseline(root, "6.6.58-rt45", "SMP PREEMPT_RT", 8, 1)
                .file("/sys/kernel/realtime", "1\n")
                .task(50, 50, "ktimers/3", 0x04208040, 1, 2, 3, CpuSet.of(3))
                .task(51, 51, "rcuc/4", 0x04208040, 1, 4, 4, CpuSet.of(4));
        HostInventory inv = host.read();
        CheckReport r = ReadinessChecks.run(inv, PARTITION);

        assertThat(inv.kernel().preemptRt()).isTrue();
        assertThat(status(r, "kernel.preempt-rt")).isEqualTo(CheckStatus.PASS);
        // ksoftirqd/2..7 of the baseline are SCHED_OTHER; ktimers/3 and rcuc/4 are FIFO.
        assertThat(status(r, "rt.kthread-priority")).isEqualTo(CheckStatus.WARN);
        assertThat(r.result("rt.kthread-priority").outcome().finding()).startsWith("6 per-CPU kthread(s)");
        assertThat(r.result("rt.kthread-priority").outcome().evidence().getFirst().value())
                .contains("ksoftirqd/2:other").doesNotContain("ktimers").doesNotContain("rcuc");
    }

    @Test
    void preemptRtHostWithBoostedKthreadsPasses() {
        FakeHost host = FakeHost.baseline(root, "6.6.58-rt45", "SMP PREEMPT_RT", 4, 1);
        for (int c = 0; c < 4; c++) {
            host.task(10 + c, 10 + c, "ksoftirqd/" + c, 0x04208040, 1, 2, c, CpuSet.of(c));
        }
        CheckReport r = ReadinessChecks.run(host.read(), new Partition(CpuSet.range(2, 3), CpuSet.range(0, 1)));
        assertThat(status(r, "rt.kthread-priority")).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void overlappingSetsFailAndSmtSiblingsSharedWithHousekeepingWarn() {
        FakeHost host = FakeHost.baseline(root, "6.1.0", "SMP PREEMPT_DYNAMIC", 4, 1)
                .file("/sys/devices/system/cpu/cpu1/topology/thread_siblings_list", "1,3\n")
                .file("/sys/devices/system/cpu/cpu3/topology/thread_siblings_list", "1,3\n")
                .file("/sys/devices/system/cpu/cpu3/topology/core_id", "1\n");
        CheckReport r = ReadinessChecks.run(host.read(), new Partition(CpuSet.of(2, 3), CpuSet.of(0, 1, 2)));
        assertThat(status(r, "partition.disjoint")).isEqualTo(CheckStatus.FAIL);
        assertThat(r.result("partition.disjoint").outcome().finding()).contains("CPUs 2 ");
        assertThat(status(r, "partition.smt-siblings")).isEqualTo(CheckStatus.WARN);
        assertThat(r.result("partition.smt-siblings").outcome().finding()).contains("3~1");
    }

    @Test
    void irqbalanceRunningWithoutBannedListOnNonIsolatedCpusFails() {
        FakeHost host = FakeHost.baseline(root, "6.1.0", "SMP PREEMPT_DYNAMIC", 8, 1)
                .task(300, 300, "irqbalance", 0x400100, 0, 0, 0, CpuSet.range(0, 7))
                .file("/etc/default/irqbalance", "#IRQBALANCE_ONESHOT=\n");
        CheckReport r = ReadinessChecks.run(host.read(), PARTITION);
        assertThat(status(r, "irq.irqbalance")).isEqualTo(CheckStatus.FAIL);

        host.file("/etc/default/irqbalance", "IRQBALANCE_BANNED_CPULIST=\"2-7\"\n");
        r = ReadinessChecks.run(host.read(), PARTITION);
        assertThat(status(r, "irq.irqbalance")).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void anUnreadableFileMakesItsCheckUnsupportedWithTheKernelsReason() {
        FakeHost host = FakeHost.baseline(root, "6.1.0", "SMP PREEMPT_DYNAMIC", 8, 1)
                .unreadable("/sys/devices/system/clocksource/clocksource0/current_clocksource")
                .unreadable("/proc/sys/kernel/timer_migration");
        CheckReport r = ReadinessChecks.run(host.read(), PARTITION);
        assertThat(status(r, "clocksource.tsc")).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(r.result("clocksource.tsc").outcome().finding())
                .contains("current_clocksource").contains("Is a directory");
        assertThat(status(r, "sysctl.kernel.timer_migration")).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(r.results()).noneMatch(c -> c.outcome().finding().startsWith("internal error"));
    }

    @Test
    void hpetClocksourceFails() {
        FakeHost host = FakeHost.baseline(root, "6.1.0", "SMP PREEMPT_DYNAMIC", 8, 1)
                .file("/sys/devices/system/clocksource/clocksource0/current_clocksource", "hpet\n");
        CheckReport r = ReadinessChecks.run(host.read(), PARTITION);
        assertThat(status(r, "clocksource.tsc")).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void aTunedHostPassesTheRuntimeChecks() {
        CpuSet hk = CpuSet.range(0, 1);
        FakeHost host = FakeHost.baseline(root, "6.12.9", "SMP PREEMPT_RT", 8, 1)
                .cmdline(ISOLATED_CMDLINE)
                .file("/sys/devices/system/cpu/isolated", "2-7\n")
                .file("/sys/devices/system/cpu/nohz_full", "2-7\n")
                .file("/sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n")
                .file("/sys/devices/virtual/workqueue/cpumask", "3\n")
                .file("/sys/bus/workqueue/devices/writeback/cpumask", "3\n")
                .file("/proc/irq/default_smp_affinity", "3\n")
                .irq(24, hk, CpuSet.of(0), "acpi")
                .irq(25, hk, CpuSet.of(1), "eth0-rx-0")
                .sysctl("kernel.timer_migration", "0")
                .sysctl("vm.stat_interval", "10")
                .sysctl("kernel.sched_rt_runtime_us", "-1")
                .fairServer(50_000_000, 1_000_000_000)
                .task(100, 100, "rsyslogd", 0x400100, 0, 0, 0, hk)
                .task(1, 1, "systemd", 0x400100, 0, 0, 0, hk);
        CheckReport r = ReadinessChecks.run(host.read(), PARTITION);
        for (String id : new String[] {"isolation.domain", "isolation.nohz-full", "isolation.rcu-nocbs",
                "isolation.irqaffinity", "cmdline.skew-tick", "cmdline.tsc-reliable", "irq.affinity",
                "irq.default-affinity", "workqueue.cpumask", "sysctl.kernel.timer_migration", "sysctl.vm.stat_interval",
                "memory.thp", "rt.throttling", "rt.fair-server", "threads.on-dedicated", "kernel.preempt-rt"}) {
            assertThat(status(r, id)).as(id + ": " + r.result(id).outcome().finding()).isEqualTo(CheckStatus.PASS);
        }
    }
}
