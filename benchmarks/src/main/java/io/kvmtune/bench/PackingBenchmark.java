package io.kvmtune.bench;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.Requests;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.TuningRequest;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.TestTopologies;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Filling a 512-CPU SMT-2 host with 8-vCPU realtime guests, each planned against the claims of
 * all guests before it, as a claims ledger does when many guests start: one operation is the
 * whole packing (63 guests on 504 dedicated CPUs, fewer with isolated emulator threads).
 *
 * <p>Pitfalls avoided: the number of guests that fit is found once in {@code @Setup}, so the
 * measured loop never builds the {@link DoesNotFitException} (a stack trace) that ends packing;
 * every plan goes to the {@link Blackhole}, and the claims set is a local rebuilt per operation,
 * so no iteration starts from an already-full host.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PackingBenchmark {

    /** Host NUMA nodes of the 512 CPUs. */
    @Param({"1", "2", "8"})
    public int nodes;

    /** {@code none} or {@code isolate}: hw:emulator_threads_policy, which adds one pCPU per guest. */
    @Param({"none", "isolate"})
    public String emulatorThreads;

    private Planner planner;
    private TuningRequest request;
    private int guests;

    @Setup
    public void setUp() {
        HostTopology topology = TestTopologies.host(nodes, 512 / nodes / 2, 2);
        planner = Planner.forHost(PlanBenchmark.smtHostPolicy(topology), topology);
        Requests r = Requests.dedicated(8).realtime("hw:cpu_realtime_mask=^0", CpuSet.range(1, 7));
        request = (emulatorThreads.equals("isolate")
                ? r.emulator(EmulatorThreadsPolicy.ISOLATE) : r).build();
        CpuSet claims = CpuSet.empty();
        guests = 0;
        try {
            while (true) {
                claims = claims.union(planner.plan(request, claims).claimedPcpus());
                guests++;
            }
        } catch (DoesNotFitException full) {
            // The host is full: guests is how many fit.
        }
    }

    @Benchmark
    public CpuSet packHost(Blackhole bh) {
        CpuSet claims = CpuSet.empty();
        for (int i = 0; i < guests; i++) {
            TuningPlan plan = planner.plan(request, claims);
            claims = claims.union(plan.claimedPcpus());
            bh.consume(plan);
        }
        return claims;
    }
}
