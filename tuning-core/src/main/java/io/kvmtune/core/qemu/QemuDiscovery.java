package io.kvmtune.core.qemu;

import io.kvmtune.core.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a running QEMU's threads and what each does, from up to three sources that must agree:
 * the thread names QEMU sets with {@code -name debug-threads=on}, the QEMU monitor (QMP) when a
 * socket is given, and libvirt's status file for libvirt guests (whose monitor libvirt holds, so
 * it is never opened). Every thread that is not a vCPU or IO thread is an emulator thread.
 *
 * <p>The process is identified by (pid, start time) and checked again at the end, so a QEMU that
 * exited during discovery, and a pid the kernel gave to another process meanwhile, are reported
 * rather than tuned.
 */
public final class QemuDiscovery {

    /** {@code CPU 3/KVM}, {@code CPU 3/TCG} (MTTCG), other accelerators alike. */
    private static final Pattern VCPU_NAME = Pattern.compile("CPU (\\d{1,9})/[A-Z]+");
    /** {@code IO <id>} of an {@code -object iothread}; {@code IO mon_iothread} is the monitor's own. */
    private static final Pattern IOTHREAD_NAME = Pattern.compile("IO (.+)");
    private static final String MONITOR_IOTHREAD = "mon_iothread";
    /** The kernel's TASK_COMM_LEN less the NUL: longer names are cut. */
    private static final int COMM_LENGTH = 15;
    private static final Pattern QEMU_BINARY = Pattern.compile("qemu-system-[A-Za-z0-9_]+|qemu-kvm");
    private static final int MAX_SCAN_ROUNDS = 50;
    /** The parent of every kernel thread, in the host's pid namespace. */
    private static final int KTHREADD = 2;

    private final ProcFs proc;
    private final Path libvirtRunDir;
    private final Duration qmpTimeout;

    /**
     * @param proc where processes are read
     * @param libvirtRunDir where libvirt keeps its status files ({@link LibvirtStatus#RUN_DIR})
     * @param qmpTimeout the bound on connecting to QMP and on each command
     */
    public QemuDiscovery(ProcFs proc, Path libvirtRunDir, Duration qmpTimeout) {
        this.proc = proc;
        this.libvirtRunDir = libvirtRunDir;
        this.qmpTimeout = qmpTimeout;
    }

    /** This host's {@code /proc} and libvirt, with a 5 s QMP timeout. */
    public static QemuDiscovery system() {
        return new QemuDiscovery(ProcFs.system(), LibvirtStatus.RUN_DIR, Duration.ofSeconds(5));
    }

    /**
     * Discovers the QEMU with process id {@code pid}.
     *
     * @param qmpSocket a QMP socket of this QEMU that nobody else holds; needed when it runs
     *     without {@code debug-threads=on}, checked against the thread names otherwise
     * @param force accept a process whose executable is not a QEMU system emulator
     * @throws InvalidInputException {@code NoSuchProcess} or {@code NotQemu} (key {@code pid}),
     *     or {@code Invalid} for the id of a thread rather than a process
     * @throws DiscoveryException when the sources disagree or none can name the vCPU threads
     * @throws QmpException when the QMP socket does not answer
     */
    public DiscoveredGuest discover(int pid, Optional<Path> qmpSocket, boolean force) {
        ThreadIdentity process = checkProcess(pid, force);
        List<SourceReport> reports = new ArrayList<>();
        qmpSocket.ifPresent(socket -> reports.add(askQmp(socket)));
        return finish(process, reports, qmpSocket.isPresent());
    }

    /**
     * Discovers the QEMU of the running libvirt domain {@code domain}, from libvirt's status file
     * and the thread names (libvirt always starts QEMU with {@code debug-threads=on}); the
     * command line's {@code -name guest=} and {@code -uuid} must match the status file.
     *
     * @param qmpSocket an extra QMP socket (from {@code <qemu:commandline>}), never libvirt's own
     * @throws InvalidInputException for a bad domain name, or libvirt's own monitor as {@code qmpSocket}
     * @throws DiscoveryException {@code DomainNotRunning}, or as {@link #discover}
     */
    public DiscoveredGuest discoverDomain(DomainName domain, Optional<Path> qmpSocket, boolean force) {
        LibvirtStatus status = LibvirtStatus.read(libvirtRunDir, domain);
        if (qmpSocket.isPresent() && status.monitorSocket().isPresent()
                && qmpSocket.get().toAbsolutePath().normalize().equals(status.monitorSocket().get().toAbsolutePath().normalize())) {
            throw InvalidInputException.invalid("qmp", qmpSocket.get().toString(),
                    "is libvirt's monitor socket of domain " + domain + "; libvirt holds it, so it cannot be used");
        }
        ThreadIdentity process = checkProcess(status.pid(), force);
        QemuCommandLine commandLine = commandLine(process.tid());
        status.name().ifPresent(n -> agree("guest name", "libvirt's status file", n, "the QEMU command line",
                commandLine.name().orElse("(none)")));
        status.uuid().ifPresent(u -> agree("guest uuid", "libvirt's status file", u, "the QEMU command line",
                commandLine.uuid().orElse("(none)")));
        List<SourceReport> reports = new ArrayList<>();
        reports.add(new SourceReport(ThreadSource.LIBVIRT_STATUS, status.vcpuThreads(), Optional.empty()));
        qmpSocket.ifPresent(socket -> reports.add(askQmp(socket)));
        return finish(process, reports, true);
    }

    private ThreadIdentity checkProcess(int pid, boolean force) {
        if (pid <= 0) {
            throw InvalidInputException.invalid("pid", Integer.toString(pid), "a process id must be positive");
        }
        ProcStat stat = proc.stat(pid).orElseThrow(() -> noSuchProcess(pid, "there is no process " + pid));
        ProcStatus status = proc.status(pid).orElseThrow(() -> noSuchProcess(pid, "process " + pid + " exited"));
        if (status.tgid() != pid) {
            throw InvalidInputException.invalid("pid", Integer.toString(pid),
                    pid + " is a thread of process " + status.tgid() + ", not a process");
        }
        if (!force) {
            Optional<Path> exe = proc.exe(pid);
            String binary = exe.map(p -> p.getFileName().toString().replaceFirst(" \\(deleted\\)$", "")).orElse("");
            if (!QEMU_BINARY.matcher(binary).matches()) {
                throw new InvalidInputException("NotQemu", "pid", Integer.toString(pid), "process " + pid + " ("
                        + exe.map(Path::toString).orElse(stat.isKernelThread() ? "a kernel thread" : "no executable")
                        + ") is not a QEMU system emulator (qemu-system-*, qemu-kvm); use --force to tune it anyway");
            }
        }
        return stat.identity();
    }

    private SourceReport askQmp(Path socket) {
        try (QmpClient qmp = QmpClient.connect(socket, qmpTimeout)) {
            Map<Integer, Integer> vcpus = new TreeMap<>();
            for (QmpCpu cpu : qmp.queryCpusFast()) {
                if (vcpus.put(cpu.cpuIndex(), cpu.threadId()) != null) {
                    throw QmpException.protocol("query-cpus-fast lists cpu-index " + cpu.cpuIndex() + " twice", null);
                }
            }
            Map<String, Integer> ioThreads = new TreeMap<>();
            for (QmpIoThread io : qmp.queryIoThreads()) {
                if (ioThreads.put(io.id(), io.threadId()) != null) {
                    throw QmpException.protocol("query-iothreads lists " + io.id() + " twice", null);
                }
            }
            return new SourceReport(ThreadSource.QMP, vcpus, Optional.of(ioThreads));
        }
    }

    private QemuCommandLine commandLine(int pid) {
        return QemuCommandLine.parse(proc.cmdline(pid).orElseThrow(() -> noSuchProcess(pid, "process " + pid + " exited")));
    }

    private DiscoveredGuest finish(ThreadIdentity process, List<SourceReport> reports, boolean haveOtherSource) {
        int pid = process.tid();
        QemuCommandLine commandLine = commandLine(pid);
        List<ProcStat> tasks = scanThreads(pid);
        SourceReport names = fromThreadNames(tasks);
        boolean namesKnown = commandLine.debugThreads() || !names.vcpus().isEmpty();
        if (namesKnown) {
            reports.addFirst(names);
        } else if (!haveOtherSource) {
            throw new DiscoveryException("NoThreadSource", "QEMU " + pid + " runs without -name debug-threads=on, so its"
                    + " threads are not named; give a QMP socket of it (--qmp)"
                    + (commandLine.qmpSockets().isEmpty() ? "" : "; its command line has " + commandLine.qmpSockets()));
        }
        Set<Integer> tids = new HashSet<>();
        tasks.forEach(t -> tids.add(t.pid()));
        reports.replaceAll(r -> r.source() == ThreadSource.LIBVIRT_STATUS ? withoutUnpluggedVcpus(r, names, tids) : r);
        crossCheck(pid, reports, tids);

        SourceReport best = reports.stream().filter(r -> r.ioThreads().isPresent() && r.source() == ThreadSource.QMP)
                .findFirst().orElse(reports.getFirst());
        Map<Integer, ThreadRole> roles = new HashMap<>();
        reports.getFirst().vcpus().forEach((index, tid) -> roles.put(tid, new ThreadRole.Vcpu(index)));
        best.ioThreads().orElse(names.ioThreads().orElseThrow())
                .forEach((id, tid) -> roles.put(tid, new ThreadRole.IoThread(id)));

        List<QemuThread> threads = tasks.stream()
                .map(t -> new QemuThread(t.identity(), t.comm(), roles.getOrDefault(t.pid(), new ThreadRole.Emulator())))
                .sorted(QemuDiscovery::threadOrder)
                .toList();
        if (!proc.stillSame(process)) {
            throw noSuchProcess(pid, "process " + process + " exited during discovery");
        }
        Set<ThreadSource> sources = EnumSet.noneOf(ThreadSource.class);
        reports.forEach(r -> sources.add(r.source()));
        return new DiscoveredGuest(new QemuGuest(process, commandLine.name(), threads), commandLine, sources);
    }

    /**
     * By role, then emulator threads by tid. A method rather than a chain of
     * {@code Comparator.comparing}: those are serializable lambdas, which the JDK's AOT cache
     * cannot keep, and spinning them costs a cold {@code kvmtune apply} ~8 ms.
     */
    private static int threadOrder(QemuThread a, QemuThread b) {
        int byRole = a.role().compareTo(b.role());
        return byRole != 0 ? byRole : Integer.compare(a.tid(), b.tid());
    }

    /**
     * The threads of {@code pid}, read until two listings in a row agree: threads that exit while
     * read are dropped, threads that appear are read in the next round.
     */
    private List<ProcStat> scanThreads(int pid) {
        List<Integer> before = proc.taskIds(pid);
        for (int round = 0; round < MAX_SCAN_ROUNDS; round++) {
            if (before.isEmpty()) {
                throw noSuchProcess(pid, "process " + pid + " exited");
            }
            List<ProcStat> stats = new ArrayList<>();
            for (int tid : before) {
                proc.taskStat(pid, tid).ifPresent(stats::add);
            }
            List<Integer> after = proc.taskIds(pid);
            if (after.equals(before) && stats.size() == before.size()) {
                return stats;
            }
            before = after;
        }
        throw new DiscoveryException("ThreadsUnstable", "the threads of process " + pid + " kept changing over "
                + MAX_SCAN_ROUNDS + " reads of /proc/" + pid + "/task");
    }

    /**
     * The role a thread of a QEMU started with {@code debug-threads=on} has by its name alone:
     * {@code CPU n/KVM} a vCPU, {@code IO id} an IO thread (the monitor's own excepted), anything
     * else an emulator thread. For the agent, which sees each name as the kernel sets it; an IO
     * thread id longer than the name can hold comes out cut, as in the name.
     */
    public static ThreadRole roleOf(String comm) {
        Matcher vcpu = VCPU_NAME.matcher(comm);
        if (vcpu.matches()) {
            return new ThreadRole.Vcpu(Integer.parseInt(vcpu.group(1)));
        }
        Matcher io = IOTHREAD_NAME.matcher(comm);
        return io.matches() && !io.group(1).equals(MONITOR_IOTHREAD) ? new ThreadRole.IoThread(io.group(1))
                : new ThreadRole.Emulator();
    }

    /** Whether {@code comm}, a process's name, is that of a QEMU system emulator (cut to 15 characters). */
    public static boolean isQemuName(String comm) {
        return comm.startsWith("qemu-system-") || comm.equals("qemu-kvm");
    }

    private static SourceReport fromThreadNames(List<ProcStat> tasks) {
        Map<Integer, Integer> vcpus = new TreeMap<>();
        Map<String, Integer> ioThreads = new TreeMap<>();
        for (ProcStat task : tasks) {
            Matcher vcpu = VCPU_NAME.matcher(task.comm());
            Matcher io = IOTHREAD_NAME.matcher(task.comm());
            if (vcpu.matches()) {
                Integer other = vcpus.put(Integer.parseInt(vcpu.group(1)), task.pid());
                if (other != null) {
                    throw new DiscoveryException("ThreadSourcesDisagree", "threads " + other + " and " + task.pid()
                            + " are both named \"" + task.comm() + "\"");
                }
            } else if (io.matches() && !io.group(1).equals(MONITOR_IOTHREAD)) {
                Integer other = ioThreads.put(io.group(1), task.pid());
                if (other != null) {
                    throw new DiscoveryException("ThreadSourcesDisagree", "threads " + other + " and " + task.pid()
                            + " are both named \"" + task.comm() + "\"");
                }
            }
        }
        return new SourceReport(ThreadSource.THREAD_NAMES, vcpus, Optional.of(ioThreads));
    }

    /**
     * libvirt's status file without the vCPUs whose thread has exited and that no thread is named
     * for: unplugged vCPUs libvirt still lists. QEMU 7.2 announces an x86 vCPU's unplug only for
     * its {@code lapic} child ({@code DEVICE_DELETED} for {@code .../vcpu1/lapic}, none for
     * {@code vcpu1}), so libvirt's {@code setvcpus --live} times out ("vcpu unplug request timed
     * out") and keeps the gone thread in its status; the guest does not run that vCPU, which is
     * therefore not plugged in. A vCPU a thread is named for stays, so that a status file naming
     * another thread for it is still a disagreement.
     */
    private static SourceReport withoutUnpluggedVcpus(SourceReport status, SourceReport names, Set<Integer> tids) {
        Map<Integer, Integer> vcpus = new TreeMap<>(status.vcpus());
        vcpus.entrySet().removeIf(e -> !tids.contains(e.getValue()) && !names.vcpus().containsKey(e.getKey()));
        return new SourceReport(status.source(), vcpus, status.ioThreads());
    }

    /** Every source against the first, and every thread id against the process's threads. */
    private static void crossCheck(int pid, List<SourceReport> reports, Set<Integer> tids) {
        for (SourceReport report : reports) {
            Map<Integer, String> claimed = new HashMap<>();
            report.vcpus().forEach((index, tid) -> requireThread(pid, tids, claimed, report, "vCPU " + index, tid));
            report.ioThreads().ifPresent(io -> io.forEach((id, tid) ->
                    requireThread(pid, tids, claimed, report, "IO thread " + id, tid)));
        }
        SourceReport first = reports.getFirst();
        for (SourceReport other : reports.subList(1, reports.size())) {
            for (int index : new TreeSet<>(union(first.vcpus().keySet(), other.vcpus().keySet()))) {
                agree("vCPU " + index + " thread", first.describe(), tid(first.vcpus().get(index)),
                        other.describe(), tid(other.vcpus().get(index)));
            }
            if (first.ioThreads().isPresent() && other.ioThreads().isPresent()) {
                compareIoThreads(first, other);
            }
        }
    }

    /**
     * Thread names carry at most 12 characters of an IO thread's id ({@code IO } plus 12), so a
     * name of full length only has to be a prefix of the id the other source gives.
     */
    private static void compareIoThreads(SourceReport names, SourceReport other) {
        Map<String, Integer> byName = new TreeMap<>(names.ioThreads().orElseThrow());
        Map<String, Integer> byOther = new TreeMap<>(other.ioThreads().orElseThrow());
        for (var entry : byOther.entrySet()) {
            String id = entry.getKey();
            String key = byName.containsKey(id) ? id : truncated(id);
            Integer named = byName.remove(key);
            agree("IO thread " + id + " thread", names.describe(), tid(named), other.describe(), tid(entry.getValue()));
        }
        byName.forEach((id, tid) -> agree("IO thread " + id + " thread", names.describe(), tid(tid),
                other.describe(), tid(null)));
    }

    private static String truncated(String ioThreadId) {
        int room = COMM_LENGTH - "IO ".length();
        return ioThreadId.length() > room ? ioThreadId.substring(0, room) : ioThreadId;
    }

    /** {@code tid} is a thread of the process, and no other vCPU or IO thread of the same source runs on it. */
    private static void requireThread(int pid, Set<Integer> tids, Map<Integer, String> claimed, SourceReport report,
            String what, int tid) {
        if (!tids.contains(tid)) {
            throw new DiscoveryException("ThreadSourcesDisagree", report.describe() + " says " + what + " runs on thread "
                    + tid + ", which is not a thread of QEMU process " + pid);
        }
        String other = claimed.putIfAbsent(tid, what);
        if (other != null) {
            throw new DiscoveryException("ThreadSourcesDisagree", report.describe() + " says both " + other + " and "
                    + what + " run on thread " + tid);
        }
    }

    private static void agree(String what, String source, String value, String otherSource, String otherValue) {
        if (!value.equals(otherValue)) {
            throw new DiscoveryException("ThreadSourcesDisagree", what + ": " + source + " says " + value + ", "
                    + otherSource + " says " + otherValue);
        }
    }

    private static String tid(Integer tid) {
        return tid == null ? "none" : "tid " + tid;
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The kernel threads working for QEMU process {@code qemu}: {@code kvm-pit/<pid>}, and
     * {@code vhost-<pid>} before Linux 6.4. Apart from {@link #discover} because no plan places
     * them yet, and finding them means reading kernel threads: every child of kthreadd, or every
     * process of the host where kthreadd's children cannot be listed (no
     * {@code CONFIG_PROC_CHILDREN}, or a {@code /proc} without the host's kernel threads).
     */
    public List<KernelHelperThread> kernelHelpers(ThreadIdentity qemu) {
        String pit = "kvm-pit/" + qemu.tid();
        String vhost = "vhost-" + qemu.tid();
        List<Integer> candidates = proc.stat(KTHREADD)
                .filter(s -> s.isKernelThread() && s.comm().equals("kthreadd"))
                .flatMap(s -> proc.children(KTHREADD))
                .orElseGet(proc::pids);
        List<KernelHelperThread> helpers = new ArrayList<>();
        for (int candidate : candidates) {
            proc.stat(candidate)
                    .filter(ProcStat::isKernelThread)
                    .filter(s -> s.comm().equals(pit) || s.comm().equals(vhost))
                    .ifPresent(s -> helpers.add(new KernelHelperThread(s.identity(), s.comm(),
                            s.comm().equals(pit) ? KernelHelperThread.Kind.KVM_PIT : KernelHelperThread.Kind.VHOST)));
        }
        return helpers;
    }

    private static InvalidInputException noSuchProcess(int pid, String message) {
        return new InvalidInputException("NoSuchProcess", "pid", Integer.toString(pid), message);
    }
}
