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
 */
public record Workqueues(Fact<CpuSet> cpumask, Fact<CpuSet> writeback, Fact<CpuSet> isolated) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpumask", cpumask);
        m.put("writeback", writeback);
        m.put("cpumask_isolated", isolated);
        return m;
    }
}
