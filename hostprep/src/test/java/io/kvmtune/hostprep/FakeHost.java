package io.kvmtune.hostprep;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.InventoryReader;
import io.kvmtune.hostprep.inventory.ToolVersions;
import io.kvmtune.hostprep.sys.CpuMasks;
import io.kvmtune.hostprep.sys.Sysctl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a fake host's /proc, /sys, /dev and /etc below a directory, file by file, so each test
 * states the kernel facts it depends on. {@link #baseline} gives an ordinary untuned host; the
 * scenario methods change what differs between kernels.
 */
public final class FakeHost {

    private final Path root;
    private final List<String> mounts = new ArrayList<>();
    private int cpus;

    private FakeHost(Path root) {
        this.root = root;
    }

    /**
     * An untuned {@code cpus}-CPU, {@code nodes}-node host without SMT running {@code release}
     * whose {@code /proc/version} carries {@code versionTags} (such as {@code SMP PREEMPT_DYNAMIC}).
     */
    public static FakeHost baseline(Path root, String release, String versionTags, int cpus, int nodes) {
        FakeHost h = new FakeHost(root);
        h.cpus = cpus;
        CpuSet all = CpuSet.firstN(cpus);
        h.file("/proc/version", "Linux version " + release + " (builder@example) (gcc 12) #1 " + versionTags + " Thu Jan 1\n");
        h.file("/proc/sys/kernel/osrelease", release + "\n");
        h.file("/proc/cmdline", "BOOT_IMAGE=/vmlinuz-" + release + " root=/dev/sda1 ro quiet\n");
        h.file("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vmx constant_tsc nonstop_tsc tsc_deadline_timer\n");
        h.file("/sys/devices/system/cpu/online", all.format() + "\n");
        h.file("/sys/devices/system/cpu/possible", all.format() + "\n");
        h.file("/sys/devices/system/cpu/isolated", "\n");
        int perNode = cpus / nodes;
        for (int c = 0; c < cpus; c++) {
            String dir = "/sys/devices/system/cpu/cpu" + c;
            h.file(dir + "/topology/core_id", c % perNode + "\n");
            h.file(dir + "/topology/physical_package_id", c / perNode + "\n");
            h.file(dir + "/topology/thread_siblings_list", c + "\n");
            h.dir(dir + "/node" + c / perNode);
            h.file(dir + "/cpuidle/state0/name", "POLL\n");
            h.file(dir + "/cpuidle/state0/latency", "0\n");
            h.file(dir + "/cpuidle/state0/disable", "0\n");
            h.file(dir + "/cpuidle/state1/name", "C1\n");
            h.file(dir + "/cpuidle/state1/latency", "2\n");
            h.file(dir + "/cpuidle/state1/disable", "0\n");
            h.file(dir + "/cpuidle/state2/name", "C6\n");
            h.file(dir + "/cpuidle/state2/latency", "133\n");
            h.file(dir + "/cpuidle/state2/disable", "0\n");
            h.file(dir + "/cpufreq/scaling_governor", "schedutil\n");
            h.file(dir + "/cpufreq/scaling_driver", "intel_cpufreq\n");
        }
        h.file("/sys/devices/system/cpu/cpuidle/current_driver", "intel_idle\n");
        h.file("/sys/devices/system/cpu/cpuidle/current_governor_ro", "menu\n");
        for (int n = 0; n < nodes; n++) {
            h.file("/sys/devices/system/node/node" + n + "/cpulist", CpuSet.range(n * perNode, (n + 1) * perNode - 1).format() + "\n");
            StringBuilder distance = new StringBuilder();
            for (int m = 0; m < nodes; m++) {
                distance.append(m == 0 ? "" : " ").append(m == n ? 10 : 20);
            }
            h.file("/sys/devices/system/node/node" + n + "/distance", distance + "\n");
            String dir = "/sys/devices/system/node/node" + n + "/hugepages/hugepages-1048576kB";
            h.file(dir + "/nr_hugepages", "0\n");
            h.file(dir + "/free_hugepages", "0\n");
            h.file(dir + "/surplus_hugepages", "0\n");
        }
        h.file("/sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n");
        h.file("/sys/devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet acpi_pm \n");
        h.file("/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n");
        h.file("/sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise [madvise] never\n");
        h.file("/sys/kernel/mm/ksm/run", "0\n");
        h.file("/sys/devices/virtual/workqueue/cpumask", CpuMasks.format(all) + "\n");
        h.file("/sys/devices/virtual/workqueue/writeback/cpumask", CpuMasks.format(all) + "\n");
        h.file("/sys/bus/workqueue/devices/writeback/cpumask", CpuMasks.format(all) + "\n");
        h.file("/proc/irq/default_smp_affinity", CpuMasks.format(all) + "\n");
        h.sysctl("kernel.sched_rt_runtime_us", "950000");
        h.sysctl("kernel.sched_rt_period_us", "1000000");
        h.sysctl("kernel.timer_migration", "1");
        h.sysctl("vm.stat_interval", "1");
        h.sysctl("kernel.numa_balancing", nodes > 1 ? "1" : "0");
        h.sysctl("kernel.nmi_watchdog", "1");
        h.sysctl("kernel.watchdog", "1");
        h.sysctl("kernel.hung_task_timeout_secs", "120");
        h.sysctl("vm.swappiness", "60");
        h.file("/dev/kvm", "");
        h.file("/sys/module/kvm/parameters/kvmclock_periodic_sync", "Y\n");
        h.file("/sys/module/kvm/parameters/nx_huge_pages", "Y\n");
        h.file("/sys/module/kvm_intel/parameters/ple_gap", "128\n");
        h.file("/sys/devices/system/cpu/vulnerabilities/itlb_multihit", "KVM: Mitigation: VMX disabled\n");
        h.task(1, 1, "systemd", 0x400100, 0, 0, 0, all);
        for (int c = 0; c < cpus; c++) {
            // Per-CPU kthreads: PF_KTHREAD | PF_NO_SETAFFINITY, bound to their CPU.
            h.task(10 + c, 10 + c, "ksoftirqd/" + c, 0x04208040, 0, 0, c, CpuSet.of(c));
        }
        h.task(100, 100, "rsyslogd", 0x400100, 0, 0, 0, all);
        h.irq(24, all, CpuSet.of(0), "acpi");
        h.irq(25, all, CpuSet.of(cpus - 1), "eth0-rx-0");
        return h;
    }

    public Path root() {
        return root;
    }

    public HostInventory read() {
        writeMounts();
        return InventoryReader.under(root, new ToolVersions(Optional.of("9.0.0"), Optional.of("7.2.0"))).read();
    }

    public HostPrep hostPrep() {
        writeMounts();
        return new HostPrep(InventoryReader.under(root, new ToolVersions(Optional.of("9.0.0"), Optional.of("7.2.0"))));
    }

    public FakeHost cmdline(String params) {
        return file("/proc/cmdline", params + "\n");
    }

    public FakeHost sysctl(String name, String value) {
        return file(Sysctl.path(name), value + "\n");
    }

    /** The build configuration as /boot/config-RELEASE. */
    public FakeHost config(String... options) {
        String release = read("/proc/sys/kernel/osrelease").strip();
        return file("/boot/config-" + release, String.join("\n", options) + "\n");
    }

    /** cgroup v1 controllers each mounted at /sys/fs/cgroup/NAME, the cpu root with RT knobs if {@code rtKnobs}. */
    public FakeHost cgroupV1(boolean rtKnobs) {
        for (String c : List.of("cpu", "cpuset", "memory")) {
            mounts.add("cgroup /sys/fs/cgroup/" + c + " cgroup rw,nosuid,nodev,noexec,relatime," + c + " 0 0");
            dir("/sys/fs/cgroup/" + c);
        }
        if (rtKnobs) {
            file("/sys/fs/cgroup/cpu/cpu.rt_runtime_us", "950000\n");
            file("/sys/fs/cgroup/cpu/cpu.rt_period_us", "1000000\n");
        }
        file("/sys/fs/cgroup/cpuset/cpuset.effective_cpus", CpuSet.firstN(cpus).format() + "\n");
        return this;
    }

    /** A v1 cpu group with an RT budget (RT group scheduling kernels). */
    public FakeHost cpuGroupV1(String group, long rtRuntimeUs) {
        return file("/sys/fs/cgroup/cpu" + group + "/cpu.rt_runtime_us", rtRuntimeUs + "\n");
    }

    /** The unified hierarchy at /sys/fs/cgroup with {@code controllers} available. */
    public FakeHost cgroupV2(String controllers) {
        mounts.add("cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0");
        file("/sys/fs/cgroup/cgroup.controllers", controllers + "\n");
        return file("/sys/fs/cgroup/cgroup.subtree_control", "memory pids\n");
    }

    /** A v2 cgroup with a cpuset partition. */
    public FakeHost partitionV2(String group, String type, CpuSet cpus) {
        file("/sys/fs/cgroup" + group + "/cpuset.cpus", cpus.format() + "\n");
        file("/sys/fs/cgroup" + group + "/cpuset.cpus.effective", cpus.format() + "\n");
        return file("/sys/fs/cgroup" + group + "/cpuset.cpus.partition", type + "\n");
    }

    public FakeHost fairServer(long runtimeNs, long periodNs) {
        for (int c = 0; c < cpus; c++) {
            fairServer(c, runtimeNs, periodNs);
        }
        return this;
    }

    public FakeHost fairServer(int cpu, long runtimeNs, long periodNs) {
        file("/sys/kernel/debug/sched/fair_server/cpu" + cpu + "/runtime", runtimeNs + "\n");
        return file("/sys/kernel/debug/sched/fair_server/cpu" + cpu + "/period", periodNs + "\n");
    }

    public FakeHost irq(int irq, CpuSet affinity, CpuSet effective, String action) {
        file("/proc/irq/" + irq + "/smp_affinity_list", affinity.format() + "\n");
        file("/proc/irq/" + irq + "/smp_affinity", CpuMasks.format(affinity) + "\n");
        file("/proc/irq/" + irq + "/effective_affinity_list", effective.format() + "\n");
        return file("/sys/kernel/irq/" + irq + "/actions", action + "\n");
    }

    /** A task with its stat and status; {@code policy} is the kernel's number (1 = FIFO). */
    public FakeHost task(int pid, int tid, String comm, long flags, int policy, int rtPriority, int lastCpu, CpuSet allowed) {
        String[] f = new String[53];
        java.util.Arrays.fill(f, "0");
        f[1] = String.valueOf(tid);
        f[2] = "(" + comm + ")";
        f[3] = "S";
        f[9] = String.valueOf(flags);
        f[22] = String.valueOf(1000 + tid);
        f[39] = String.valueOf(lastCpu);
        f[40] = String.valueOf(rtPriority);
        f[41] = String.valueOf(policy);
        String stat = String.join(" ", java.util.Arrays.copyOfRange(f, 1, f.length)) + "\n";
        String dir = "/proc/" + pid + "/task/" + tid;
        file(dir + "/stat", stat);
        file(dir + "/status", "Name:\t" + comm + "\nTgid:\t" + pid + "\nPid:\t" + tid + "\nCpus_allowed_list:\t" + allowed.format() + "\n");
        file(dir + "/cgroup", "0::/\n");
        if (pid == tid) {
            file("/proc/" + pid + "/comm", comm + "\n");
            file("/proc/" + pid + "/cmdline", comm + "\0");
        }
        return this;
    }

    public FakeHost file(String hostPath, String content) {
        Path p = root.resolve(hostPath.substring(1));
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FakeHost dir(String hostPath) {
        try {
            Files.createDirectories(root.resolve(hostPath.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Replaces a file with a directory of the same name: reading it fails with EISDIR. */
    public FakeHost unreadable(String hostPath) {
        Path p = root.resolve(hostPath.substring(1));
        try {
            Files.deleteIfExists(p);
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FakeHost delete(String hostPath) {
        try {
            Files.deleteIfExists(root.resolve(hostPath.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public String read(String hostPath) {
        try {
            return Files.readString(root.resolve(hostPath.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeMounts() {
        file("/proc/mounts", String.join("\n", mounts) + (mounts.isEmpty() ? "" : "\n"));
    }
}
