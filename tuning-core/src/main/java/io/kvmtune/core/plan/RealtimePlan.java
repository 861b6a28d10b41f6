package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.linux.SchedPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The realtime vCPUs and their policy: libvirt's single {@code <vcpusched>} element.
 *
 * @param vcpus the realtime vCPU indexes, never empty
 * @param policy always {@link SchedPolicy#FIFO} from the planner, as Nova writes it
 * @param priority {@code realtime_scheduler_priority}, 1..99
 */
public record RealtimePlan(CpuSet vcpus, SchedPolicy policy, int priority) implements JsonWritable {

    public RealtimePlan {
        if (vcpus.isEmpty()) {
            throw new IllegalArgumentException("a realtime plan needs at least one realtime vCPU");
        }
        if (!policy.isRealtime() || priority < 1 || priority > 99) {
            throw new IllegalArgumentException("realtime needs fifo or rr with priority 1..99, not "
                    + policy.label() + " " + priority);
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpus", PlanJson.cpus(vcpus));
        m.put("policy", policy.label());
        m.put("priority", priority);
        return m;
    }

    public static RealtimePlan fromJson(JsonObject o) {
        return new RealtimePlan(PlanJson.cpus(o, "vcpus"), PlanJson.policy(o, "policy"), o.intValue("priority"));
    }
}
