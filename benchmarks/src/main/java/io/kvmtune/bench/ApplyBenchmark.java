package io.kvmtune.bench;

import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.ApplyReport;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.KernelThreadControl;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.apply.SchedSettings;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.EmulatorPlacement;
import io.kvmtune.core.plan.EmulatorRule;
import io.kvmtune.core.plan.MemoryPlan;
import io.kvmtune.core.plan.RealtimePlan;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuDiscovery;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.linux.SchedPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per thread to put a realtime placement (one pCPU, SCHED_FIFO) on the 32 vCPU threads of a
 * real paused QEMU, side by side in one run (scores are per thread, {@code @OperationsPerInvocation(32)}):
 * <ul>
 *   <li>{@code cLoopOfRawSyscalls}: a C loop, compiled with gcc at start-up, of the two system
 *       calls that change a thread (sched_setaffinity, sched_setattr): the floor for any tool;
 *   <li>{@code cLoopOfApplySyscalls}: C making exactly the system calls kvmtune's apply makes,
 *       in its order ({@code apply_checked} in {@code apply_loop.c}): per thread open
 *       /proc/tid/stat, read the state, check the start time, change, read back and compare,
 *       check again, close; per apply read the main thread's cgroups, stat the previous record
 *       and save one of the same size beside {@code applierApply}'s (temporary file, write,
 *       fsync, stat, rename): the floor for an apply with kvmtune's guarantees;
 *   <li>{@code javaThreadControl}: the two changing calls through {@link KernelThreadControl}
 *       (FFM): the pure system call path, next to the first C loop;
 *   <li>{@code applierApply}: a whole {@link Applier#apply} (identity checks, snapshot, record
 *       saved, read back, report) with the record directory on tmpfs, next to the second C loop.
 *       tmpfs because {@code /run} (where {@link RecordStore#DEFAULT_DIR} lives) is tmpfs on every
 *       systemd host kvmtune runs on;
 *   <li>{@code applierApplyRecordsUnderRun}: the same with the records in this machine's own
 *       {@code /run}, whatever file system that is (ext4 on the development VM: there the one
 *       fsync per apply shows).
 * </ul>
 *
 * <p>Pitfalls avoided: every invocation alternates between two placements, so each call really
 * changes the thread (a kernel fast path for an unchanged value would flatter the score); results
 * are returned and C failures raised, so nothing is dead code or fails silently; the guest is per
 * trial, not per invocation. The vCPU threads of a paused guest sleep, so SCHED_FIFO on them
 * cannot starve the host. Alternating plans also makes every apply a re-apply that saves a new
 * record (the previous one is found to keep the original snapshot): an unchanged record would
 * not be written at all.
 *
 * <p>Run as root with JDK 25: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests &&
 * $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar
 * ApplyBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ApplyBenchmark {

    static final int VCPUS = 32;

    private ThrowawayGuest qemu;
    private QemuGuest vcpusOnly;
    private int[] tids;
    private CApplyLoop cLoop;
    private KernelThreadControl threads;
    private Applier applier;
    private Applier applierUnderRun;
    private Path work;
    private Path underRun;
    private int firstCpu;
    private int secondCpu;
    private TuningPlan[] plans;
    private int flip;

    @Setup(Level.Trial)
    public void startGuest() throws Exception {
        qemu = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(VCPUS));
        QemuGuest guest = QemuDiscovery.system().discover(qemu.pid(), Optional.of(qemu.qmpSocket()), false).guest();
        // Only the vCPU threads, so that every way measured touches the same 32 threads.
        vcpusOnly = new QemuGuest(guest.process(), guest.name(), guest.vcpus());
        tids = vcpusOnly.threads().stream().mapToInt(QemuThread::tid).toArray();
        long[] startTimes = vcpusOnly.threads().stream().mapToLong(t -> t.identity().startTime()).toArray();
        CpuSet host = ProcFs.system().status(1).orElseThrow().cpusAllowed();
        firstCpu = host.first();
        secondCpu = host.size() > 1 ? host.nextSetBit(firstCpu + 1) : firstCpu;
        // /dev/shm: tmpfs like /run on a systemd host (here /run is on disk, and fsync would dominate).
        work = Files.createTempDirectory(Path.of("/dev/shm"), "kvmtune-bench");
        threads = new KernelThreadControl(ProcFs.system());
        RecordStore records = new RecordStore(work.resolve("records"));
        applier = Applier.system(records);
        plans = new TuningPlan[] {plan(firstCpu, 1), plan(secondCpu, 2)};
        // One apply for the record the C loop saves a copy of; every apply measured is a re-apply anyway.
        applier.apply(plans[1], vcpusOnly, ApplyOptions.defaults());
        Path record = records.file(qemu.pid());
        cLoop = new CApplyLoop(work, qemu.pid(), tids, startTimes, record.resolveSibling("c-loop-" + record.getFileName()),
                Files.readAllBytes(record));
        underRun = Files.createTempDirectory(Path.of("/run"), "kvmtune-bench");
        applierUnderRun = Applier.system(new RecordStore(underRun.resolve("records")));
    }

    private static TuningPlan plan(int cpu, int priority) {
        List<VcpuPlacement> placements = new ArrayList<>();
        for (int i = 0; i < VCPUS; i++) {
            placements.add(new VcpuPlacement(i, CpuSet.of(cpu), true, SchedPolicy.FIFO, priority));
        }
        return new TuningPlan(placements, Optional.of(new RealtimePlan(CpuSet.firstN(VCPUS), SchedPolicy.FIFO, priority)),
                new EmulatorPlacement(CpuSet.of(cpu), EmulatorRule.GUEST_PCPUS), OptionalInt.empty(),
                new MemoryPlan(false, false), Optional.empty(), Optional.empty(), List.of());
    }

    @Benchmark
    @OperationsPerInvocation(VCPUS)
    public int cLoopOfRawSyscalls() {
        int i = flip++ & 1;
        return succeeded(cLoop.run(i == 0 ? firstCpu : secondCpu, SchedPolicy.FIFO.value(), 1 + i));
    }

    @Benchmark
    @OperationsPerInvocation(VCPUS)
    public int cLoopOfApplySyscalls() {
        int i = flip++ & 1;
        return succeeded(cLoop.runChecked(i == 0 ? firstCpu : secondCpu, SchedPolicy.FIFO.value(), 1 + i));
    }

    private static int succeeded(int rc) {
        if (rc != 0) {
            throw new IllegalStateException("the C loop failed with errno " + -rc);
        }
        return rc;
    }

    @Benchmark
    @OperationsPerInvocation(VCPUS)
    public int javaThreadControl() {
        int i = flip++ & 1;
        CpuSet cpus = CpuSet.of(i == 0 ? firstCpu : secondCpu);
        SchedSettings fifo = new SchedSettings(SchedPolicy.FIFO, 1 + i, 0, 0, 0, 0, 0);
        for (int tid : tids) {
            threads.setAffinity(tid, cpus);
            threads.setScheduling(tid, fifo);
        }
        return tids.length;
    }

    @Benchmark
    @OperationsPerInvocation(VCPUS)
    public ApplyReport applierApply() {
        return applier.apply(plans[flip++ & 1], vcpusOnly, ApplyOptions.defaults());
    }

    @Benchmark
    @OperationsPerInvocation(VCPUS)
    public ApplyReport applierApplyRecordsUnderRun() {
        return applierUnderRun.apply(plans[flip++ & 1], vcpusOnly, ApplyOptions.defaults());
    }

    @TearDown(Level.Trial)
    public void stopGuest() throws Exception {
        try {
            for (Applier a : new Applier[] {applier, applierUnderRun}) {
                if (a != null && a.record(qemu.pid()).isPresent()) {
                    a.restore(qemu.pid());
                }
            }
        } finally {
            if (cLoop != null) {
                cLoop.close();
            }
            qemu.close();
            delete(work);
            delete(underRun);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
