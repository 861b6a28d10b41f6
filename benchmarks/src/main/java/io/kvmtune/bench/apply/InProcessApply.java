package io.kvmtune.bench.apply;

import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.QemuDiscovery;
import io.kvmtune.core.qemu.QemuGuest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * kvmtune's in-process apply for {@code benchmarks/compare-apply.sh}: one JVM that stays up for
 * the whole comparison, so the script can interleave it with the other methods.
 * {@code InProcessApply PID DIR WARMUP} discovers the QEMU once, applies plans {@code a} and
 * {@code b} alternately WARMUP times so that the JIT has compiled the apply path (a long-running
 * agent is warm; a cold start is what the cold-CLI method measures), prints {@code ready}, then for
 * each line {@code TAG} read from standard input applies {@code DIR/plan-TAG.json} with
 * {@link Applier#apply} and answers one line: the nanoseconds that call took, or {@code error: ...}.
 *
 * <p>Like {@code ApplyBenchmark}, it acts on the vCPU threads only, the threads every other method
 * changes, and keeps its apply records on tmpfs ({@code /dev/shm}), as {@code /run} is on real
 * hosts; this VM's {@code /run} is on disk, where the record's fsync would dominate. The records
 * are removed at the end; the script puts the threads back.
 */
public final class InProcessApply {

    private InProcessApply() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: InProcessApply QEMU_PID DIR WARMUP   (then one plan tag per line on stdin)");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        QemuGuest guest = QemuDiscovery.system().discover(Integer.parseInt(args[0]), Optional.empty(), false).guest();
        QemuGuest vcpusOnly = new QemuGuest(guest.process(), guest.name(), guest.vcpus());
        Path records = Files.createTempDirectory(Path.of("/dev/shm"), "kvmtune-inprocess");
        Applier applier = Applier.system(new RecordStore(records));
        Map<String, TuningPlan> plans = new HashMap<>();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int warmUp = Integer.parseInt(args[2]);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (int i = 0; i < warmUp; i++) {
                applier.apply(plans.computeIfAbsent(i % 2 == 0 ? "a" : "b", t -> read(dir, t)), vcpusOnly,
                        ApplyOptions.defaults());
            }
            out.println("ready");
            for (String tag = in.readLine(); tag != null; tag = in.readLine()) {
                try {
                    TuningPlan plan = plans.computeIfAbsent(tag.strip(), t -> read(dir, t));
                    long start = System.nanoTime();
                    applier.apply(plan, vcpusOnly, ApplyOptions.defaults());
                    out.println(System.nanoTime() - start);
                } catch (RuntimeException e) {
                    out.println("error: " + e.getMessage());
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(records)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static TuningPlan read(Path dir, String tag) {
        try {
            return TuningPlan.fromJson(Files.readString(dir.resolve("plan-" + tag + ".json")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
