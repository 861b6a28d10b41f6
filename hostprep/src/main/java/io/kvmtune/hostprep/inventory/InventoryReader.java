package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ProcCgroup;
import io.kvmtune.hostprep.inventory.CgroupInfo.CpusetPartition;
import io.kvmtune.hostprep.inventory.GuestProcess.GuestThread;
import io.kvmtune.hostprep.inventory.IrqInfo.Irq;
import io.kvmtune.hostprep.inventory.MemoryInfo.HugePagePool;
import io.kvmtune.hostprep.inventory.PowerInfo.IdleState;
import io.kvmtune.hostprep.inventory.RtThrottling.FairServer;
import io.kvmtune.hostprep.inventory.RtThrottling.RtBudget;
import io.kvmtune.hostprep.sys.CpuMasks;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.HostFs;
import io.kvmtune.hostprep.sys.HostReadException;
import io.kvmtune.hostprep.sys.IsolCpus;
import io.kvmtune.hostprep.sys.KernelCmdline;
import io.kvmtune.hostprep.sys.KernelVersion;
import io.kvmtune.hostprep.sys.SelectedWord;
import io.kvmtune.hostprep.sys.Sysctl;
import io.kvmtune.hostprep.sys.TaskInfo;
import io.kvmtune.hostprep.sys.TaskReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link HostInventory} from a host: OSHI (or its sysfs stand-in) for the CPUs, flags,
 * kernel release and hypervisor; /proc and /sys below a root directory for everything else.
 *
 * <p>Nothing here throws for a missing or unreadable file: each value is a {@link Fact} that
 * says why it is unknown.
 */
public final class InventoryReader {

    /** The sysctls the checks and the tunables planner look at. */
    public static final List<String> SYSCTLS = List.of(
            "kernel.sched_rt_runtime_us", "kernel.sched_rt_period_us", "kernel.timer_migration",
            "vm.stat_interval", "kernel.numa_balancing", "kernel.nmi_watchdog", "kernel.watchdog",
            "kernel.hung_task_timeout_secs", "vm.swappiness");

    /** Bound on cgroup directories visited per hierarchy, so a host with a huge tree stays quick. */
    private static final int MAX_CGROUPS = 4096;

    private static final String CPU = "/sys/devices/system/cpu";
    private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d+)");
    private static final Pattern NAME_ARG = Pattern.compile("(?:^|\\s)-name\\s+(?:guest=)?([^,\\s]+)");
    private static final Pattern HUGE_DIR = Pattern.compile("hugepages-(\\d+)kB");

    private final HostFs fs;
    private final PlatformFacts platform;
    private final Supplier<ToolVersions> versions;
    private final TaskReader tasks;

    public InventoryReader(HostFs fs, PlatformFacts platform, Supplier<ToolVersions> versions) {
        this.fs = fs;
        this.platform = platform;
        this.versions = versions;
        this.tasks = new TaskReader(fs);
    }

    /** The live host: OSHI for the CPUs, the real /proc and /sys, versions from the installed binaries. */
    public static InventoryReader live() {
        return new InventoryReader(HostFs.live(), new OshiPlatformFacts(), ToolVersionProbe::probe);
    }

    /** A host described by a /proc and /sys tree below {@code root}, with the given tool versions. */
    public static InventoryReader under(Path root, ToolVersions versions) {
        HostFs fs = HostFs.under(root);
        return new InventoryReader(fs, new SysfsPlatformFacts(fs), () -> versions);
    }

    public HostFs fs() {
        return fs;
    }

    public HostInventory read() {
        List<TaskInfo> all = tasks.all();
        KernelInfo kernel = kernel();
        KernelCmdline cmdline = kernel.cmdlineOrEmpty();
        CgroupInfo cgroups = cgroups();
        Set<String> flags = platform.cpuFlags();
        Map<String, Fact<String>> sysctls = new LinkedHashMap<>();
        for (String name : SYSCTLS) {
            sysctls.put(name, Fact.text(fs, Sysctl.path(name)));
        }
        CpuTopology topology = topology();
        return new HostInventory(topology, kernel, isolation(kernel), rt(kernel, cmdline, cgroups, sysctls),
                cgroups, clocksource(), memory(), power(topology), irqs(all), workqueues(), kvm(flags),
                sysctls, flags, versions.get(), guests(all, cgroups), all);
    }

    private CpuTopology topology() {
        List<LogicalCpu> cpus = platform.logicalCpus();
        Map<Integer, CpuSet> siblings = new HashMap<>();
        for (LogicalCpu c : cpus) {
            cpuList(CPU + "/cpu" + c.cpu() + "/topology/thread_siblings_list").value()
                    .ifPresent(s -> siblings.put(c.cpu(), s));
        }
        return new CpuTopology(cpuList(CPU + "/online"), cpuList(CPU + "/possible"), cpus, siblings, platform.source());
    }

    private KernelInfo kernel() {
        Fact<String> procVersion = Fact.text(fs, "/proc/version");
        Fact<KernelVersion> version = platform.kernelRelease()
                .<Fact<KernelVersion>>map(r -> Fact.parse("/proc/sys/kernel/osrelease", r, KernelVersion::parse))
                .orElseGet(() -> procVersion.map(KernelVersion::fromProcVersion));
        PreemptModel preempt = procVersion.value().map(PreemptModel::fromVersion).orElse(PreemptModel.NONE_OR_VOLUNTARY);
        Fact<Map<String, String>> config = kernelConfig(version);
        return new KernelInfo(procVersion, version, preempt, Fact.text(fs, "/sys/kernel/realtime"),
                Fact.read(fs, "/sys/kernel/debug/sched/preempt", SelectedWord::of),
                Fact.read(fs, "/proc/cmdline", KernelCmdline::parse), config);
    }

    private Fact<Map<String, String>> kernelConfig(Fact<KernelVersion> version) {
        String gz = "/proc/config.gz";
        try {
            Optional<String> text = fs.readGzip(gz);
            if (text.isPresent()) {
                return new Fact.Known<>(gz, parseConfig(text.get()));
            }
        } catch (HostReadException e) {
            return Fact.unknown(gz, e.reason());
        }
        return version.value()
                .map(v -> Fact.read(fs, "/boot/config-" + v.release(), InventoryReader::parseConfig))
                .orElseGet(() -> new Fact.Unknown<>(gz, true, "no /proc/config.gz and the release is unknown"));
    }

    static Map<String, String> parseConfig(String text) {
        Map<String, String> options = new HashMap<>();
        text.lines().filter(l -> l.startsWith("CONFIG_")).forEach(l -> {
            int eq = l.indexOf('=');
            if (eq > 0) {
                options.put(l.substring(0, eq), l.substring(eq + 1));
            }
        });
        return options;
    }

    private Isolation isolation(KernelInfo kernel) {
        Fact<KernelCmdline> cmdline = kernel.cmdline();
        return new Isolation(
                fromCmdline(cmdline, "isolcpus", KernelCmdline::isolcpus),
                fromCmdline(cmdline, "nohz_full", c -> c.cpus("nohz_full")),
                fromCmdline(cmdline, "rcu_nocbs", c -> c.cpus("rcu_nocbs")),
                fromCmdline(cmdline, "irqaffinity", c -> c.cpus("irqaffinity")),
                cpuList(CPU + "/isolated"),
                cpuList(CPU + "/nohz_full"));
    }

    private static <T> Fact<T> fromCmdline(Fact<KernelCmdline> cmdline, String param,
            java.util.function.Function<KernelCmdline, Optional<T>> get) {
        return switch (cmdline) {
            case Fact.Unknown<KernelCmdline> u -> new Fact.Unknown<>(u.path(), u.absent(), u.reason());
            case Fact.Known<KernelCmdline> k -> {
                try {
                    yield get.apply(k.data()).<Fact<T>>map(v -> new Fact.Known<>(k.path(), v))
                            .orElseGet(() -> new Fact.Unknown<>(k.path(), true, param + " is not on the command line"));
                } catch (RuntimeException e) {
                    yield Fact.unknown(k.path(), e.getMessage());
                }
            }
        };
    }

    private RtThrottling rt(KernelInfo kernel, KernelCmdline cmdline, CgroupInfo cgroups,
            Map<String, Fact<String>> sysctls) {
        Fact<Long> runtime = sysctls.get("kernel.sched_rt_runtime_us").map(s -> Long.parseLong(s.strip()));
        Fact<Long> period = sysctls.get("kernel.sched_rt_period_us").map(s -> Long.parseLong(s.strip()));
        List<RtBudget> budgets = new ArrayList<>();
        Optional<String> cpuMount = Optional.ofNullable(cgroups.v1Mounts().get("cpu"));
        cpuMount.ifPresent(mount -> {
            for (String group : walk(mount)) {
                String file = join(mount, group) + "/cpu.rt_runtime_us";
                Fact.read(fs, file, s -> Long.parseLong(s.strip())).value()
                        .ifPresent(us -> budgets.add(new RtBudget(group, file, us)));
            }
        });
        return new RtThrottling(runtime, period, fairServer(), rtGroupSched(kernel, cmdline, cpuMount), budgets);
    }

    private Fact<List<FairServer>> fairServer() {
        String dir = "/sys/kernel/debug/sched/fair_server";
        try {
            if (!fs.isDirectory(dir)) {
                return new Fact.Unknown<>(dir, true, "absent (kernel before 6.12, or debugfs not mounted)");
            }
            List<FairServer> servers = new ArrayList<>();
            for (String name : fs.list(dir)) {
                Matcher m = CPU_DIR.matcher(name);
                if (m.matches()) {
                    long runtime = Long.parseLong(fs.read(dir + "/" + name + "/runtime").orElse("0").strip());
                    long per = Long.parseLong(fs.read(dir + "/" + name + "/period").orElse("0").strip());
                    servers.add(new FairServer(Integer.parseInt(m.group(1)), runtime, per));
                }
            }
            servers.sort((a, b) -> Integer.compare(a.cpu(), b.cpu()));
            return new Fact.Known<>(dir, servers);
        } catch (HostReadException e) {
            return Fact.unknown(e.hostPath(), e.reason());
        } catch (NumberFormatException e) {
            return Fact.unknown(dir, "unparseable: " + e.getMessage());
        }
    }

    private Fact<Boolean> rtGroupSched(KernelInfo kernel, KernelCmdline cmdline, Optional<String> cpuMount) {
        Optional<String> bootSwitch = cmdline.value("rt_group_sched");
        if (kernel.config().value().isPresent()) {
            boolean built = kernel.configOption("CONFIG_RT_GROUP_SCHED").map("y"::equals).orElse(false);
            boolean offByDefault = kernel.configOption("CONFIG_RT_GROUP_SCHED_DEFAULT_DISABLED").map("y"::equals).orElse(false);
            boolean on = built && bootSwitch.map("1"::equals).orElse(!offByDefault);
            return new Fact.Known<>(kernel.config().path(), on);
        }
        if (cpuMount.isPresent()) {
            String file = cpuMount.get() + "/cpu.rt_runtime_us";
            // Without the config the v1 root group's rt knobs tell: they exist only with RT_GROUP_SCHED.
            return new Fact.Known<>(file, fs.exists(file));
        }
        return Fact.unknown(kernel.config().path(), "kernel config unreadable and no cgroup v1 cpu hierarchy to tell");
    }

    private CgroupInfo cgroups() {
        Map<String, String> v1 = new TreeMap<>();
        Optional<String> v2 = Optional.empty();
        for (String line : fs.read("/proc/mounts").orElse("").lines().toList()) {
            String[] f = line.split(" ");
            if (f.length < 4) {
                continue;
            }
            String mount = f[1].replace("\\040", " ");
            if (f[2].equals("cgroup2")) {
                v2 = Optional.of(mount);
            } else if (f[2].equals("cgroup")) {
                for (String opt : f[3].split(",")) {
                    if (!Set.of("rw", "ro", "relatime", "nosuid", "nodev", "noexec", "noatime").contains(opt)
                            && !opt.startsWith("release_agent") && !opt.equals("clone_children")) {
                        v1.put(opt, mount);
                    }
                }
            }
        }
        boolean v1Controllers = v1.keySet().stream().anyMatch(k -> !k.startsWith("name="));
        CgroupMode mode = v2.isPresent() ? (v1Controllers ? CgroupMode.HYBRID : CgroupMode.V2)
                : (v1.isEmpty() ? CgroupMode.NONE : CgroupMode.V1);
        List<CpusetPartition> partitions = new ArrayList<>();
        Fact<Set<String>> controllers = new Fact.Unknown<>("/sys/fs/cgroup/cgroup.controllers", true, "no cgroup2 mount");
        Fact<CpuSet> isolated = new Fact.Unknown<>("/sys/fs/cgroup/cpuset.cpus.isolated", true, "no cgroup2 mount");
        if (v2.isPresent()) {
            String root = v2.get();
            controllers = Fact.read(fs, root + "/cgroup.controllers",
                    s -> new LinkedHashSet<>(Arrays.asList(s.strip().split("\\s+"))));
            isolated = cpuList(root + "/cpuset.cpus.isolated");
            for (String group : walk(root)) {
                if (group.equals("/")) {
                    continue;
                }
                String dir = join(root, group);
                Fact<String> type = Fact.text(fs, dir + "/cpuset.cpus.partition");
                type.value().filter(t -> !t.equals("member")).ifPresent(t ->
                        partitions.add(new CpusetPartition(group, t, cpuList(dir + "/cpuset.cpus.effective"))));
            }
        }
        return new CgroupInfo(mode, v1, v2, controllers, partitions, isolated);
    }

    /** Cgroup paths ({@code /}, {@code /machine.slice}, ...) below a mount, breadth first, bounded. */
    private List<String> walk(String mount) {
        List<String> groups = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add("/");
        while (!todo.isEmpty() && groups.size() < MAX_CGROUPS) {
            String group = todo.poll();
            groups.add(group);
            String dir = join(mount, group);
            try {
                for (String name : fs.list(dir)) {
                    String child = dir + "/" + name;
                    if (fs.isDirectory(child)) {
                        todo.add(group.equals("/") ? "/" + name : group + "/" + name);
                    }
                }
            } catch (HostReadException e) {
                // A group we may not list is still reported itself; its children are skipped.
            }
        }
        return groups;
    }

    private static String join(String mount, String group) {
        return group.equals("/") ? mount : mount + group;
    }

    private Clocksource clocksource() {
        String dir = "/sys/devices/system/clocksource/clocksource0";
        return new Clocksource(Fact.text(fs, dir + "/current_clocksource"),
                Fact.read(fs, dir + "/available_clocksource", s -> List.of(s.strip().split("\\s+"))));
    }

    private MemoryInfo memory() {
        String thp = "/sys/kernel/mm/transparent_hugepage";
        List<HugePagePool> pools = new ArrayList<>();
        for (String node : fs.list("/sys/devices/system/node")) {
            if (!node.matches("node\\d+")) {
                continue;
            }
            String dir = "/sys/devices/system/node/" + node + "/hugepages";
            for (String size : fs.list(dir)) {
                Matcher m = HUGE_DIR.matcher(size);
                if (m.matches()) {
                    String p = dir + "/" + size + "/";
                    pools.add(new HugePagePool(Integer.parseInt(node.substring(4)), Long.parseLong(m.group(1)),
                            number(p + "nr_hugepages"), number(p + "free_hugepages"), number(p + "surplus_hugepages")));
                }
            }
        }
        return new MemoryInfo(Fact.read(fs, thp + "/enabled", SelectedWord::of),
                Fact.read(fs, thp + "/defrag", SelectedWord::of), Fact.text(fs, "/sys/kernel/mm/ksm/run"), pools);
    }

    private PowerInfo power(CpuTopology topology) {
        Map<Integer, String> governors = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        Map<Integer, Long> latencies = new TreeMap<>();
        Map<Integer, CpuSet> enabled = new TreeMap<>();
        for (LogicalCpu c : topology.cpus()) {
            String dir = CPU + "/cpu" + c.cpu();
            Fact.text(fs, dir + "/cpufreq/scaling_governor").value().ifPresent(g -> governors.put(c.cpu(), g));
            for (String state : fs.list(dir + "/cpuidle")) {
                if (!state.matches("state\\d+")) {
                    continue;
                }
                int index = Integer.parseInt(state.substring(5));
                String sd = dir + "/cpuidle/" + state;
                Fact.text(fs, sd + "/name").value().ifPresent(n -> names.putIfAbsent(index, n));
                latencies.putIfAbsent(index, number(sd + "/latency"));
                boolean on = Fact.text(fs, sd + "/disable").value().map("0"::equals).orElse(true);
                enabled.merge(index, on ? CpuSet.of(c.cpu()) : CpuSet.empty(), CpuSet::union);
            }
        }
        List<IdleState> states = new ArrayList<>();
        names.forEach((i, n) -> states.add(new IdleState(i, n, latencies.getOrDefault(i, 0L),
                enabled.getOrDefault(i, CpuSet.empty()))));
        String governorFile = fs.exists(CPU + "/cpuidle/current_governor_ro")
                ? CPU + "/cpuidle/current_governor_ro" : CPU + "/cpuidle/current_governor";
        int firstCpu = topology.cpus().isEmpty() ? 0 : topology.cpus().getFirst().cpu();
        return new PowerInfo(Fact.text(fs, CPU + "/cpu" + firstCpu + "/cpufreq/scaling_driver"), governors,
                Fact.text(fs, CPU + "/cpuidle/current_driver"), Fact.text(fs, governorFile), states, pmQos());
    }

    private Fact<Integer> pmQos() {
        String dev = "/dev/cpu_dma_latency";
        try {
            return fs.readBytes(dev)
                    .<Fact<Integer>>map(b -> b.length >= 4
                            ? new Fact.Known<>(dev, ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt())
                            : Fact.unknown(dev, "short read of " + b.length + " bytes"))
                    .orElseGet(() -> new Fact.Unknown<>(dev, true, "absent"));
        } catch (HostReadException e) {
            return Fact.unknown(dev, e.reason());
        }
    }

    private IrqInfo irqs(List<TaskInfo> all) {
        List<Irq> irqs = new ArrayList<>();
        for (String name : fs.list("/proc/irq")) {
            if (!name.chars().allMatch(Character::isDigit)) {
                continue;
            }
            String dir = "/proc/irq/" + name;
            String actions = Fact.text(fs, "/sys/kernel/irq/" + name + "/actions").value().orElse("");
            irqs.add(new Irq(Integer.parseInt(name), cpuList(dir + "/smp_affinity_list"),
                    cpuList(dir + "/effective_affinity_list"), actions));
        }
        irqs.sort((a, b) -> Integer.compare(a.irq(), b.irq()));
        boolean running = all.stream().anyMatch(t -> t.pid() == t.tid() && t.comm().equals("irqbalance"));
        return new IrqInfo(Fact.read(fs, "/proc/irq/default_smp_affinity", CpuMasks::parse), irqs, running,
                irqbalanceBanned());
    }

    private Fact<CpuSet> irqbalanceBanned() {
        for (String file : List.of("/etc/default/irqbalance", "/etc/sysconfig/irqbalance")) {
            Fact<String> text = Fact.text(fs, file);
            if (text instanceof Fact.Unknown<String> u) {
                if (u.absent()) {
                    continue;
                }
                return Fact.unknown(file, u.reason());
            }
            Optional<String> line = text.value().orElseThrow().lines()
                    .map(String::strip)
                    .filter(l -> l.startsWith("IRQBALANCE_BANNED_CPULIST="))
                    .reduce((first, second) -> second);
            if (line.isEmpty()) {
                return new Fact.Unknown<>(file, true, "IRQBALANCE_BANNED_CPULIST is not set");
            }
            String value = line.get().substring(line.get().indexOf('=') + 1).replace("\"", "").replace("'", "");
            return Fact.parse(file, value, CpuSet::parse);
        }
        return new Fact.Unknown<>("/etc/default/irqbalance", true, "no irqbalance configuration file");
    }

    private Workqueues workqueues() {
        String wq = "/sys/devices/virtual/workqueue";
        Map<String, Fact<CpuSet>> queues = new TreeMap<>();
        for (String name : fs.list(wq)) {
            String mask = wq + "/" + name + "/cpumask";
            if (fs.exists(mask)) {
                queues.put(name, Fact.read(fs, mask, CpuMasks::parse));
            }
        }
        return new Workqueues(Fact.read(fs, wq + "/cpumask", CpuMasks::parse),
                Fact.read(fs, "/sys/bus/workqueue/devices/writeback/cpumask", CpuMasks::parse),
                Fact.read(fs, wq + "/cpumask_isolated", CpuMasks::parse), queues);
    }

    private KvmInfo kvm(Set<String> flags) {
        Optional<String> vendor = Optional.empty();
        for (String module : fs.list("/sys/module")) {
            if (module.startsWith("kvm_")) {
                vendor = Optional.of(module);
                break;
            }
        }
        Optional<String> virt = flags.contains("vmx") ? Optional.of("vmx") : flags.contains("svm") ? Optional.of("svm")
                : Optional.empty();
        return new KvmInfo(fs.exists("/dev/kvm"), vendor, moduleParameters("kvm"),
                vendor.map(this::moduleParameters).orElse(Map.of()), virt, platform.virtualization(),
                Fact.text(fs, CPU + "/vulnerabilities/itlb_multihit").value());
    }

    private Map<String, String> moduleParameters(String module) {
        Map<String, String> params = new TreeMap<>();
        String dir = "/sys/module/" + module + "/parameters";
        for (String name : fs.list(dir)) {
            Fact.text(fs, dir + "/" + name).value().ifPresent(v -> params.put(name, v));
        }
        return params;
    }

    private List<GuestProcess> guests(List<TaskInfo> all, CgroupInfo cgroups) {
        List<GuestProcess> guests = new ArrayList<>();
        for (TaskInfo t : all) {
            if (t.pid() != t.tid() || !(t.comm().startsWith("qemu-system") || t.comm().startsWith("qemu-kvm"))) {
                continue;
            }
            String cmd = tasks.cmdline(t.pid()).orElse("");
            Matcher m = NAME_ARG.matcher(cmd);
            String name = m.find() ? m.group(1) : t.comm();
            List<GuestThread> threads = new ArrayList<>();
            for (TaskInfo thread : all) {
                if (thread.pid() == t.pid()) {
                    threads.add(guestThread(thread, cgroups));
                }
            }
            guests.add(new GuestProcess(t.pid(), name, threads));
        }
        return guests;
    }

    private GuestThread guestThread(TaskInfo thread, CgroupInfo cgroups) {
        List<ProcCgroup> groups = tasks.cgroups(thread.pid(), thread.tid());
        String v1Cpuset = cgroups.v1Mounts().get("cpuset");
        Optional<ProcCgroup> v1 = groups.stream().filter(g -> g.controllers().contains("cpuset")).findFirst();
        if (v1.isPresent() && v1Cpuset != null) {
            return new GuestThread(thread, v1.get().path(), cpuList(join(v1Cpuset, v1.get().path()) + "/cpuset.effective_cpus"));
        }
        Optional<ProcCgroup> v2 = groups.stream().filter(ProcCgroup::isUnified).findFirst();
        if (v2.isPresent() && cgroups.v2Mount().isPresent()) {
            return new GuestThread(thread, v2.get().path(),
                    cpuList(join(cgroups.v2Mount().get(), v2.get().path()) + "/cpuset.cpus.effective"));
        }
        return new GuestThread(thread, "", new Fact.Unknown<>("/proc/" + thread.pid() + "/task/" + thread.tid() + "/cgroup",
                true, "in no cpuset cgroup"));
    }

    private Fact<CpuSet> cpuList(String path) {
        return Fact.read(fs, path, CpuSet::parse);
    }

    private long number(String path) {
        return Fact.read(fs, path, s -> Long.parseLong(s.strip())).value().orElse(0L);
    }
}
