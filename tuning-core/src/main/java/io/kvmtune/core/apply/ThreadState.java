package io.kvmtune.core.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thread's placement as the kernel reports it.
 *
 * @param affinity its CPU affinity mask
 * @param sched its scheduling attributes
 */
public record ThreadState(CpuSet affinity, SchedSettings sched) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("affinity", affinity.format());
        m.put("policy", sched.policy().label());
        m.put("priority", sched.priority());
        m.put("nice", sched.nice());
        return m;
    }
}
