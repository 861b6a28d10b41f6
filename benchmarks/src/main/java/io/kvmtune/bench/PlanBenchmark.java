package io.kvmtune.bench;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.Requests;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.spec.CpuMode;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.TuningRequest;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.TestTopologies;
import java.util.List;
import java.util.Optional;
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

/**
 * One plan: a dedicated realtime guest ({@code hw:cpu_realtime_mask=^0}) on an SMT-2 host whose
 * first core is {@code cpu_shared_set} and the rest {@code cpu_dedicated_set}, nothing claimed.
 * The guest uses the fewest guest NUMA nodes that fit ({@code hw:numa_nodes} = 1, 2, 4 or 8).
 *
 * <p>Combinations that cannot exist are refused in {@code @Setup} with an error that names them,
 * and JMH moves on: 8 CPUs on 8 nodes (no whole SMT-2 core per node), and guests larger than the
 * dedicated CPUs (8 vCPUs on 8 CPUs, 64 on 8, 256 on 8 or 64). The goal is the
 * {@code vcpus=64, cpus=512} rows: at most 1 µs.
 *
 * <p>Pitfalls avoided: the planner (its per-host index) and the request are built in
 * {@code @Setup}, so only planning is measured; the plan is returned, so it is not dead code;
 * inputs live in a {@code Scope.Benchmark} state read through fields, so nothing is
 * constant-folded. {@link #buildPlanner} is the baseline: the per-host work that
 * {@link Planner#forHost} moves out of every plan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PlanBenchmark {

    @Param({"2", "8", "64", "256"})
    public int vcpus;

    @Param({"8", "64", "512"})
    public int cpus;

    @Param({"1", "2", "8"})
    public int nodes;

    private HostTopology topology;
    private HostPolicy host;
    private Planner planner;
    private TuningRequest request;
    private CpuSet claimed;

    @Setup
    public void setUp() {
        if (cpus % (nodes * 2) != 0) {
            throw new IllegalStateException("skipped: " + cpus + " CPUs do not make whole SMT-2 cores on " + nodes + " nodes");
        }
        topology = TestTopologies.host(nodes, cpus / nodes / 2, 2);
        host = smtHostPolicy(topology);
        planner = Planner.forHost(host, topology);
        claimed = CpuSet.empty();
        request = fittingRequest(planner, vcpus, nodes, claimed);
    }

    /** {@code cpu_shared_set} = the first core's two threads, {@code cpu_dedicated_set} = every other CPU. */
    static HostPolicy smtHostPolicy(HostTopology topology) {
        CpuSet shared = topology.cores().getFirst().threads();
        return new HostPolicy(Optional.of(topology.online().minus(shared)), Optional.of(shared), "kvm",
                Optional.of(CpuMode.HOST_PASSTHROUGH), List.of(), List.of(), 1);
    }

    /** The realtime request on the fewest guest nodes that fit, or an exception naming the combination. */
    static TuningRequest fittingRequest(Planner planner, int vcpus, int hostNodes, CpuSet claimed) {
        for (int guestNodes = 1; guestNodes <= hostNodes; guestNodes *= 2) {
            if (vcpus % guestNodes != 0) {
                continue;
            }
            Requests r = Requests.dedicated(vcpus).realtime("hw:cpu_realtime_mask=^0", CpuSet.range(1, vcpus - 1));
            TuningRequest request = (guestNodes == 1 ? r : r.numaNodes(guestNodes)).build();
            try {
                planner.plan(request, claimed);
                return request;
            } catch (DoesNotFitException e) {
                // Try more guest nodes.
            }
        }
        throw new IllegalStateException("skipped: " + vcpus + " vCPUs do not fit this host on any number of nodes");
    }

    @Benchmark
    public TuningPlan plan() {
        return planner.plan(request, claimed);
    }

    @Benchmark
    public Planner buildPlanner() {
        return Planner.forHost(host, topology);
    }
}
