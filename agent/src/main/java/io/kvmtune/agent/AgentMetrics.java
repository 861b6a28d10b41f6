package io.kvmtune.agent;

import io.kvmtune.core.apply.ThreadTarget;
import io.kvmtune.core.qemu.ThreadRole;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;

/**
 * What the agent exports, named by Prometheus's conventions: a {@code kvmtune_} prefix, base units
 * (seconds), {@code _total} on counters, {@code _info} on the info metric, labels for dimensions a
 * query filters or sums by. Registered in a registry of its own, so two agents in one JVM (tests)
 * never share metrics.
 */
final class AgentMetrics {

    /** Half a millisecond up to a second: the agent aims at 1 ms, the libvirt hook takes ~100 ms. */
    private static final double[] WINDOW_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5};
    private static final double[] APPLY_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.1};

    private final PrometheusRegistry registry = new PrometheusRegistry();

    final Gauge guests = Gauge.builder().name("kvmtune_agent_guests")
            .help("QEMU processes with a kept plan that the agent follows").register(registry);
    final Gauge threadsTuned = Gauge.builder().name("kvmtune_agent_threads_tuned")
            .help("Threads the agent watches, tuned as planned, per guest and role (vcpu, iothread, emulator)")
            .labelNames("guest", "role").register(registry);
    final Info vcpu = Info.builder().name("kvmtune_vcpu_info")
            .help("Planned placement of each tuned vCPU thread: scheduling policy, priority and pCPUs")
            .labelNames("guest", "vcpu", "tid", "policy", "priority", "pcpus").register(registry);
    final Counter events = Counter.builder().name("kvmtune_agent_proc_events_total")
            .help("Process events received from the kernel's connector, by kind (fork, exec, comm, exit, lost)")
            .labelNames("kind").withoutExemplars().register(registry);
    final Counter drift = Counter.builder().name("kvmtune_agent_drift_events_total")
            .help("Tuned threads found other than planned, by what differed (affinity, policy, priority)")
            .labelNames("kind").withoutExemplars().register(registry);
    final Counter repairs = Counter.builder().name("kvmtune_agent_repairs_total")
            .help("Drifted threads the agent put back as planned").withoutExemplars().register(registry);
    final Counter failures = Counter.builder().name("kvmtune_agent_apply_failures_total")
            .help("Applies that changed nothing or were rolled back, by reason (busy, failed, invalid)")
            .labelNames("reason").withoutExemplars().register(registry);
    final Counter cleanups = Counter.builder().name("kvmtune_agent_cleanups_total")
            .help("Exited QEMUs whose records, claims and realtime runtime the agent gave back").withoutExemplars()
            .register(registry);
    final Histogram applySeconds = Histogram.builder().name("kvmtune_agent_apply_duration_seconds")
            .help("Time of one apply by the agent (survey, record, change, read-back), by trigger (birth, repair, scan)")
            .labelNames("trigger").classicOnly().classicUpperBounds(APPLY_BUCKETS).withoutExemplars().register(registry);
    final Histogram untunedWindow = Histogram.builder().name("kvmtune_agent_untuned_window_seconds")
            .help("From a thread's fork (kernel timestamp) to its settings read back as planned")
            .labelNames("role").classicOnly().classicUpperBounds(WINDOW_BUCKETS).withoutExemplars()
            .register(registry);
    final Gauge rtRuntime = Gauge.builder().name("kvmtune_vcpu_group_rt_runtime_seconds")
            .help("Realtime runtime per period (cpu.rt_runtime_us) granted to each realtime vCPU cgroup of a guest")
            .labelNames("guest", "group").register(registry);

    /** The event counters' data points, looked up once: every process event on the host counts. */
    final CounterDataPoint forks = events.labelValues("fork");
    final CounterDataPoint execs = events.labelValues("exec");
    final CounterDataPoint comms = events.labelValues("comm");
    final CounterDataPoint exits = events.labelValues("exit");
    final CounterDataPoint lost = events.labelValues("lost");

    PrometheusRegistry registry() {
        return registry;
    }

    void tuned(String guest, ThreadTarget target) {
        if (target.thread().role() instanceof ThreadRole.Vcpu v) {
            vcpu.addLabelValues(vcpuLabels(guest, target, v));
        }
    }

    void untracked(String guest, ThreadTarget target) {
        if (target.thread().role() instanceof ThreadRole.Vcpu v) {
            vcpu.remove(vcpuLabels(guest, target, v));
        }
    }

    private static String[] vcpuLabels(String guest, ThreadTarget target, ThreadRole.Vcpu v) {
        return new String[] {guest, Integer.toString(v.index()), Integer.toString(target.thread().tid()),
                target.policy().label(), Integer.toString(target.priority()), target.cpus().format()};
    }

    /**
     * Sets the threads-tuned gauges of {@code guest} from the threads it watches. Without streams
     * or lambdas: it runs as each thread is tuned, where the first use of a lambda costs its
     * linking.
     */
    void threadsTuned(String guest, Collection<TunedThread> watched) {
        int vcpus = 0;
        int iothreads = 0;
        int emulators = 0;
        for (TunedThread t : watched) {
            switch (t.thread().role()) {
                case ThreadRole.Vcpu _ -> vcpus++;
                case ThreadRole.IoThread _ -> iothreads++;
                case ThreadRole.Emulator _ -> emulators++;
            }
        }
        threadsTuned.labelValues(guest, "vcpu").set(vcpus);
        threadsTuned.labelValues(guest, "iothread").set(iothreads);
        threadsTuned.labelValues(guest, "emulator").set(emulators);
    }

    static String roleKind(ThreadRole role) {
        return switch (role) {
            case ThreadRole.Vcpu _ -> "vcpu";
            case ThreadRole.IoThread _ -> "iothread";
            case ThreadRole.Emulator _ -> "emulator";
        };
    }
}
