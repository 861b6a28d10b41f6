package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much CPU time real-time tasks may take, globally, per CPU (the fair server of 6.12+) and
 * per cgroup (RT group scheduling).
 *
 * @param runtimeUs {@code kernel.sched_rt_runtime_us}; -1 means unlimited
 * @param periodUs {@code kernel.sched_rt_period_us}
 * @param fairServer debugfs {@code sched/fair_server/cpuN/{runtime,period}}: time reserved for
 *     ordinary tasks on each CPU even under a spinning RT task; absent before 6.12 or without debugfs
 * @param rtGroupSched whether RT group scheduling is in force (built in and not disabled at boot)
 * @param budgets {@code cpu.rt_runtime_us} of every cgroup v1 {@code cpu} group
 */
public record RtThrottling(Fact<Long> runtimeUs, Fact<Long> periodUs, Fact<List<FairServer>> fairServer,
        Fact<Boolean> rtGroupSched, List<RtBudget> budgets) implements JsonWritable {

    public RtThrottling {
        budgets = List.copyOf(budgets);
    }

    /** One CPU's fair server (deadline server for SCHED_OTHER tasks). */
    public record FairServer(int cpu, long runtimeNs, long periodNs) implements JsonWritable {
        @Override
        public Object toJson() {
            return Map.of("cpu", cpu, "runtime_ns", runtimeNs, "period_ns", periodNs);
        }
    }

    /**
     * A cgroup v1 {@code cpu} group's RT budget.
     *
     * @param cgroup the group's path below the {@code cpu} hierarchy ({@code /} for the root)
     * @param path the host path of its {@code cpu.rt_runtime_us}
     */
    public record RtBudget(String cgroup, String path, long runtimeUs) implements JsonWritable {
        @Override
        public Object toJson() {
            return Map.of("cgroup", cgroup, "rt_runtime_us", runtimeUs);
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sched_rt_runtime_us", runtimeUs);
        m.put("sched_rt_period_us", periodUs);
        m.put("fair_server", fairServer);
        m.put("rt_group_sched", rtGroupSched);
        m.put("cgroup_budgets", budgets);
        return m;
    }
}
