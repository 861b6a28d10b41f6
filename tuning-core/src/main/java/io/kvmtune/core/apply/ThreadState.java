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

    // Written out rather than generated: a record's own equals is bootstrapped through
    // invokedynamic (ObjectMethods) on first use, which the JDK's AOT cache cannot keep, and
    // every apply's report compares each thread's state before and after (~5 ms cold).
    @Override
    public boolean equals(Object o) {
        return o instanceof ThreadState t && affinity.equals(t.affinity) && sched.equals(t.sched);
    }

    @Override
    public int hashCode() {
        return 31 * affinity.hashCode() + sched.hashCode();
    }

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
