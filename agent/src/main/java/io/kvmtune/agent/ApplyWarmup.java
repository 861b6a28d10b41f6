package io.kvmtune.agent;

import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyFailedException;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.KernelThreadControl;
import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.apply.ThreadPin;
import io.kvmtune.core.apply.ThreadTarget;
import io.kvmtune.core.apply.ThreadTargets;
import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.cgroup.LibvirtThreadGroups;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.EmulatorPlacement;
import io.kvmtune.core.plan.EmulatorRule;
import io.kvmtune.core.plan.MemoryPlan;
import io.kvmtune.core.plan.RealtimePlan;
import io.kvmtune.core.plan.Reason;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuDiscovery;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.Clock;
import io.kvmtune.linux.SchedPolicy;
import io.kvmtune.linux.Threads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Runs the agent's whole tuning path a few thousand times before the first guest needs it: the
 * agent's point is to tune a vCPU within a millisecond of its birth, and a cold JVM takes 50-80 ms
 * for the first apply (class loading, downcall linking, the interpreter), ~1.5 ms for the next
 * tens, ~0.15 ms once the JIT has compiled it.
 *
 * <p>The path is warmed the way guests take it, since code the JIT compiled for one shape of call
 * is thrown away (deoptimized) at the first call of another shape, in the middle of a guest's
 * start: a vCPU thread alone as it is born, an emulator thread with a non-realtime vCPU, the whole
 * guest as when the agent finds a running one; affinity and policy both changing, SCHED_FIFO and
 * back; a first apply (no record) and the applies after it; each thread's role read from its
 * name and the thread pinned by its id alone or by who it is, as at its birth or when found; each
 * apply followed by the read-back and drift check the agent makes; and for a QEMU outside
 * libvirt's groups as well as for a libvirt guest, before libvirt placed its threads, after, and
 * with a vCPU plugged in (over a {@link LibvirtShapedTree}: the cgroup writes of those applies
 * land in plain files), whose apply records and realtime budget book another process (the libvirt
 * hook) replaced. The applies hear of their steps through the agent's own {@link ApplyTimes} and
 * the bookkeeping reads the agent's clock: a step observer of a class first loaded at the first guest would deoptimize the compiled
 * apply there, and the clock's downcall would be linked there.
 *
 * <p>The targets are three threads of the agent's own, parked for the purpose (they never run,
 * so giving one SCHED_FIFO is safe), moved between two of the CPUs the agent may use, with
 * records in a private temporary directory; the threads are restored and the directory removed
 * at the end. Realtime is warmed only where the kernel throttles realtime tasks
 * ({@code kernel.sched_rt_runtime_us} not -1) and lets the agent's group have SCHED_FIFO. No QEMU
 * and no host state is touched.
 */
final class ApplyWarmup {

    static final int ROUNDS = 3000;
    /**
     * The warm-up stops here even short of {@link #ROUNDS}: on a slow host (the kernel lab's
     * emulated one takes ~10 ms an apply) the agent's start must not wait for minutes.
     */
    static final Duration LIMIT = Duration.ofSeconds(5);
    /** Every so many rounds the record is restored away, so that first applies are warmed too. */
    private static final int RESTORE_EVERY = 25;
    /** The guests of the {@link LibvirtShapedTree}, in the order their blocks of applies take them. */
    private static final List<String> LIBVIRT_GUESTS = List.of(LibvirtShapedTree.BORN, LibvirtShapedTree.PLACED,
            LibvirtShapedTree.PLUGGED);
    /** The UUID of the libvirt guest the warm-up pretends to follow. */
    private static final String WARMUP_UUID = "00000000-0000-4000-8000-00000000a9e7";

    private ApplyWarmup() {
    }

    /** How many applies the warm-up made, and the microseconds the last one took: for the log. */
    record Result(int applies, long lastUs) {
    }

    /** Warms up. */
    static Result run(Path scratchParent) {
        Path dir = scratch(scratchParent);
        CountDownLatch done = new CountDownLatch(1);
        List<CompletableFuture<Integer>> tids = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        List<Thread> parked = tids.stream().map(tid -> Thread.ofPlatform().daemon().name("kvmtune-agent-warmup")
                .start(() -> {
                    tid.complete(Threads.currentTid());
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })).toList();
        try {
            ProcFs proc = ProcFs.system();
            int pid = (int) ProcessHandle.current().pid();
            BitSet allowed = Affinity.get(tids.getFirst().join());
            int first = allowed.nextSetBit(0);
            int second = allowed.nextSetBit(first + 1) < 0 ? first : allowed.nextSetBit(first + 1);
            QemuThread emulator = thread(proc, tids.get(0).join(), "warmup-emulator");
            QemuThread vcpu0 = thread(proc, tids.get(1).join(), "CPU 0/KVM");
            QemuThread vcpu1 = thread(proc, tids.get(2).join(), "CPU 1/KVM");
            ThreadIdentity process = new ThreadIdentity(pid, proc.startTime(pid).orElseThrow());
            List<QemuGuest> shapes = List.of(guest(process, vcpu1), guest(process, emulator, vcpu0),
                    guest(process, emulator, vcpu0, vcpu1), guest(process, vcpu0));
            Applier host = Applier.system(new RecordStore(dir.resolve("host")));
            SchedPolicy realtime = realtimeAllowed(host, process, vcpu1, first, second, allowed)
                    ? SchedPolicy.FIFO : SchedPolicy.OTHER;
            LibvirtShapedTree tree = new LibvirtShapedTree(dir.resolve("libvirt"), pid, CpuSet.fromBitSet(allowed).format());
            KernelThreadControl kernel = new KernelThreadControl(proc);
            CgroupFs treeFs = tree.fs();
            RecordStore libvirtRecords = new RecordStore(dir.resolve("libvirt-records"));
            Applier libvirt = new Applier(kernel, kernel, treeFs, libvirtRecords);
            TuningPlan[] plans = {plan(first, second, realtime, allowed), plan(second, first, SchedPolicy.OTHER,
                    CpuSet.of(second).toBitSet())};
            // what the agent does when a libvirt QEMU starts: find its kept plan, hold runtime ahead
            tree.commandLine(List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=warmup,debug-threads=on", "-S",
                    "-uuid", WARMUP_UUID, "-smp", "2,sockets=2,cores=1,threads=1", "-m", "64"));
            PreparedDomains prepared = new PreparedDomains(dir.resolve("domains"));
            prepared.save(new PreparedDomain(WARMUP_UUID, "warmup", plans[0], Optional.empty()));
            KeptPlans kept = new KeptPlans(prepared, libvirtRecords, tree.procFs());
            // the agent's bookkeeping after each apply, on metrics of their own that nobody scrapes
            AgentMetrics metrics = new AgentMetrics();
            long last = 0;
            long deadline = System.nanoTime() + LIMIT.toNanos();
            int i = 0;
            for (; i < ROUNDS && System.nanoTime() - deadline < 0; i++) {
                TuningPlan plan = plans[(i / shapes.size()) % 2];
                // each thread's role read from its name, as the agent reads it when the kernel reports the name
                QemuGuest guest = named(shapes.get(i % shapes.size()));
                // blocks of a QEMU outside libvirt's groups and of a libvirt guest, before and after
                // libvirt placed its threads, each ending in a restore
                int block = i / RESTORE_EVERY;
                Applier applier = block % 2 == 0 ? host : libvirt;
                if (block % 2 == 1) {
                    String guestGroup = LIBVIRT_GUESTS.get(block / 2 % LIBVIRT_GUESTS.size());
                    boolean born = guestGroup.equals(LibvirtShapedTree.BORN);
                    boolean plugged = guestGroup.equals(LibvirtShapedTree.PLUGGED);
                    kept.of(process);
                    tree.place(pid, guestGroup + "/emulator");
                    tree.place(emulator.tid(), guestGroup + "/emulator");
                    tree.place(vcpu0.tid(), guestGroup + (born ? "/emulator" : "/vcpu0"));
                    tree.place(vcpu1.tid(), guestGroup + (born || plugged ? "/emulator" : "/vcpu1"));
                    if (plugged) {
                        // emulator narrowed away from vCPU 1's pCPU: the plugged vCPU is lifted out of it
                        int vcpu1Cpu = plan.vcpus().get(1).pcpus().first();
                        tree.cpuset(guestGroup + "/emulator", Integer.toString(vcpu1Cpu == first ? second : first));
                        replaceFiles(libvirtRecords.dir());
                    }
                    if (!guestGroup.equals(LibvirtShapedTree.PLACED) && i % RESTORE_EVERY == 0) {
                        libvirt.holdRuntimeAhead(plan, process, 2);
                    }
                }
                long t0 = System.nanoTime();
                // pinned as the agent pins a thread (at its birth, or when found), and checked through the pins
                Map<ThreadIdentity, ThreadPin> held = new HashMap<>();
                for (QemuThread t : guest.threads()) {
                    held.put(t.identity(), i % 2 == 0 ? applier.pinNow(t.tid()).orElseThrow().pin()
                            : applier.pin(t.identity()));
                }
                List<TunedThread> watched = new ArrayList<>();
                try {
                    ApplyTimes times = new ApplyTimes();
                    applier.apply(plan, guest, ApplyOptions.defaults().withObserver(times), held);
                    times.describe();
                    for (ThreadTarget target : ThreadTargets.of(plan, guest)) {
                        ThreadPin pin = held.get(target.thread().identity());
                        applier.state(target, pin)
                                .ifPresent(target::isMetBy);
                        watched.add(new TunedThread(target, pin, Clock.monotonicNanos()));
                        treeFs.membership(pid, target.thread().tid())
                                .ifPresent(m -> LibvirtThreadGroups.awaitsPlacement(m, target.thread().role().label()));
                        String role = AgentMetrics.roleKind(target.thread().role());
                        metrics.tuned("warmup", target);
                        metrics.untunedWindow.labelValues(role).observe((System.nanoTime() - t0) / 1e9);
                        metrics.untracked("warmup", target);
                    }
                } finally {
                    held.values().forEach(ThreadPin::close);
                }
                metrics.threadsTuned("warmup", watched);
                last = System.nanoTime() - t0;
                metrics.applySeconds.labelValues("birth").observe(last / 1e9);
                if ((i + 1) % RESTORE_EVERY == 0) {
                    applier.restore(pid);
                }
            }
            if (i % RESTORE_EVERY != 0) {
                (i / RESTORE_EVERY % 2 == 0 ? host : libvirt).restore(pid);
            }
            return new Result(i, last / 1000);
        } finally {
            done.countDown();
            delete(dir);
            for (Thread t : parked) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Whether the parked vCPU may be made SCHED_FIFO here: realtime throttling is in force, and a
     * trial apply is not refused (a cgroup v1 group without realtime runtime refuses it).
     */
    private static boolean realtimeAllowed(Applier applier, ThreadIdentity process, QemuThread vcpu, int first,
            int second, BitSet allowed) {
        try {
            if (!RealtimeThrottling.inForce(Path.of("/proc"))) {
                return false;
            }
            applier.apply(plan(first, second, SchedPolicy.FIFO, allowed), guest(process, vcpu), ApplyOptions.defaults());
            applier.restore(process.tid());
            return true;
        } catch (IOException | ApplyFailedException e) {
            return false;
        }
    }

    /** A parked thread as the agent finds a QEMU thread named {@code comm}: its role read from the name. */
    private static QemuThread thread(ProcFs proc, int tid, String comm) {
        return new QemuThread(new ThreadIdentity(tid, proc.startTime(tid).orElseThrow()), comm,
                QemuDiscovery.roleOf(comm));
    }

    private static QemuGuest named(QemuGuest guest) {
        return new QemuGuest(guest.process(), guest.name(), guest.threads().stream()
                .map(t -> new QemuThread(t.identity(), t.comm(), QemuDiscovery.roleOf(t.comm()))).toList());
    }

    private static QemuGuest guest(ThreadIdentity process, QemuThread... threads) {
        return new QemuGuest(process, Optional.of("warmup"), List.of(threads));
    }

    /**
     * vCPU 0 floating on {@code cpu0} (SCHED_OTHER), vCPU 1 pinned to {@code cpu1} under
     * {@code vcpu1Policy}, emulator threads on {@code emulator}; with a realtime policy the rest
     * is what the planner decides for a realtime guest (locked memory, reasons), so that the
     * record and memory checks take the paths a real guest's apply takes.
     */
    private static TuningPlan plan(int cpu0, int cpu1, SchedPolicy vcpu1Policy, BitSet emulator) {
        boolean rt = vcpu1Policy.isRealtime();
        return new TuningPlan(List.of(new VcpuPlacement(0, CpuSet.of(cpu0), false, SchedPolicy.OTHER, 0),
                new VcpuPlacement(1, CpuSet.of(cpu1), true, vcpu1Policy, rt ? 1 : 0)),
                rt ? Optional.of(new RealtimePlan(CpuSet.of(1), vcpu1Policy, 1)) : Optional.empty(),
                new EmulatorPlacement(CpuSet.fromBitSet(emulator), rt ? EmulatorRule.NON_REALTIME_VCPUS
                        : EmulatorRule.GUEST_PCPUS), OptionalInt.empty(), new MemoryPlan(rt, rt), Optional.of(false),
                Optional.empty(), List.of(new Reason("the agent's warm-up", "a plan shaped like a guest's")));
    }

    /**
     * Replaces each apply record and the realtime budget book in {@code dir} with a copy of
     * itself, as the libvirt hook's apply replaces them: the next apply reads them anew.
     */
    private static void replaceFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                Path copy = f.resolveSibling(f.getFileName() + ".new");
                Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.move(copy, f, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the warm-up's records in " + dir, e);
        }
    }

    private static Path scratch(Path parent) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "agent-warmup-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory in " + parent, e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a few small files in the state directory; the next warm-up uses a new name
        }
    }
}
