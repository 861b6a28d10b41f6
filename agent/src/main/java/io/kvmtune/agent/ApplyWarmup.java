package io.kvmtune.agent;

import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.EmulatorPlacement;
import io.kvmtune.core.plan.EmulatorRule;
import io.kvmtune.core.plan.MemoryPlan;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.SchedPolicy;
import io.kvmtune.linux.Threads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Runs the whole apply path a few thousand times before the first guest needs it: the agent's
 * point is to tune a vCPU within a millisecond of its birth, and a cold JVM takes 50-80 ms for
 * the first apply (class loading, downcall linking, the interpreter), ~1.5 ms for the next tens,
 * ~0.15 ms once the JIT has compiled it.
 *
 * <p>The target is a thread of the agent's own, parked for the purpose, moved between two of the
 * CPUs it may use under SCHED_OTHER, with records in a private temporary directory; the thread is
 * restored and the directory removed at the end. No QEMU and no host state is touched.
 */
final class ApplyWarmup {

    static final int ROUNDS = 3000;

    private ApplyWarmup() {
    }

    /** Warms up; returns the microseconds of the last apply, for the log. */
    static long run(Path scratchParent) {
        Path dir = scratch(scratchParent);
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread parked = Thread.ofPlatform().daemon().name("kvmtune-agent-warmup").start(() -> {
            tid.complete(Threads.currentTid());
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            ProcFs proc = ProcFs.system();
            int pid = (int) ProcessHandle.current().pid();
            int target = tid.join();
            BitSet allowed = Affinity.get(target);
            int first = allowed.nextSetBit(0);
            int second = allowed.nextSetBit(first + 1) < 0 ? first : allowed.nextSetBit(first + 1);
            QemuThread thread = new QemuThread(new ThreadIdentity(target, proc.startTime(target).orElseThrow()),
                    "CPU 0/KVM", new ThreadRole.Vcpu(0));
            QemuGuest guest = new QemuGuest(new ThreadIdentity(pid, proc.startTime(pid).orElseThrow()),
                    Optional.of("warmup"), List.of(thread));
            TuningPlan[] plans = {plan(first, allowed), plan(second, allowed)};
            Applier applier = Applier.system(new RecordStore(dir));
            long last = 0;
            for (int i = 0; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                applier.apply(plans[i % 2], guest, ApplyOptions.defaults());
                applier.state(thread.identity());
                last = System.nanoTime() - t0;
            }
            applier.restore(pid);
            return last / 1000;
        } finally {
            done.countDown();
            delete(dir);
            try {
                parked.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static TuningPlan plan(int cpu, BitSet allowed) {
        CpuSet emulator = CpuSet.fromBitSet(allowed);
        return new TuningPlan(List.of(new VcpuPlacement(0, CpuSet.of(cpu), true, SchedPolicy.OTHER, 0)),
                Optional.empty(), new EmulatorPlacement(emulator, EmulatorRule.GUEST_PCPUS), OptionalInt.empty(),
                new MemoryPlan(false, false), Optional.empty(), Optional.empty(), List.of());
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
