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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * kvmtune's in-process apply for {@code benchmarks/compare-apply.sh}: one JVM that stays up for
 * the whole comparison, so the script can interleave it with the other methods.
 * {@code InProcessApply PID DIR WARMUP RECORDS} discovers the QEMU once, applies plans {@code a} and
 * {@code b} alternately WARMUP times so that the JIT has compiled the apply path (a long-running
 * agent is warm; a cold start is what the cold-CLI method measures), prints {@code ready}, then for
 * each line {@code TAG} read from standard input applies {@code DIR/plan-TAG.json} with
 * {@link Applier#apply} and answers one line: the nanoseconds that call took, or {@code error: ...}.
 *
 * <p>Like {@code ApplyBenchmark}, it acts on the vCPU threads only, the threads every other method
 * changes, and keeps its apply records in the directory RECORDS, which the script makes on tmpfs
 * ({@code /dev/shm}), as {@code /run} is on real hosts (this VM's {@code /run} is on disk, where
 * the record's fsync would dominate), and where the checked C loop saves a record of the same
 * size. The script removes the records and puts the threads back.
 */
public final class InProcessApply {

    private InProcessApply() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: InProcessApply QEMU_PID DIR WARMUP RECORDS_DIR   (then one plan tag per line on stdin)");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        QemuGuest guest = QemuDiscovery.system().discover(Integer.parseInt(args[0]), Optional.empty(), false).guest();
        QemuGuest vcpusOnly = new QemuGuest(guest.process(), guest.name(), guest.vcpus());
        Applier applier = Applier.system(new RecordStore(Path.of(args[3])));
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
