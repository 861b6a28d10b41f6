package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where unbound kernel work may run.
 *
 * @param cpumask {@code /sys/devices/virtual/workqueue/cpumask}
 * @param writeback {@code /sys/bus/workqueue/devices/writeback/cpumask}
 * @param isolated {@code cpumask_isolated} (newer kernels: CPUs of isolated cpuset partitions)
 * @param queues the per-workqueue {@code cpumask} of workqueues exported to sysfs ({@code WQ_SYSFS}),
 *     by workqueue name
 */
public record Workqueues(Fact<CpuSet> cpumask, Fact<CpuSet> writeback, Fact<CpuSet> isolated,
        Map<String, Fact<CpuSet>> queues) implements JsonWritable {

    public Workqueues {
        queues = Map.copyOf(queues);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpumask", cpumask);
        m.put("writeback", writeback);
        m.put("cpumask_isolated", isolated);
        m.put("queues", new java.util.TreeMap<>(queues));
        return m;
    }
}
