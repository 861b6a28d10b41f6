package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.linux.SchedPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one vCPU runs and how it is scheduled.
 *
 * @param vcpu the guest vCPU index (QEMU's {@code cpu-index}, libvirt's vcpu id)
 * @param pcpus the host CPUs it may run on: one dedicated pCPU when {@code pinned}, else the
 *     shared CPUs it floats on
 * @param pinned whether {@code pcpus} is a dedicated pCPU claimed for this guest
 * @param policy its scheduling policy
 * @param priority its static priority (1..99 for fifo/rr, 0 otherwise)
 */
public record VcpuPlacement(int vcpu, CpuSet pcpus, boolean pinned, SchedPolicy policy, int priority)
        implements JsonWritable {

    public VcpuPlacement {
        if (vcpu < 0) {
            throw new IllegalArgumentException("vcpu index must not be negative: " + vcpu);
        }
        if (pcpus.isEmpty()) {
            throw new IllegalArgumentException("vcpu " + vcpu + " has no pCPU to run on");
        }
        if (policy.isRealtime() != (priority > 0)) {
            throw new IllegalArgumentException("vcpu " + vcpu + ": priority " + priority
                    + " does not fit policy " + policy.label());
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpu", vcpu);
        m.put("pcpus", PlanJson.cpus(pcpus));
        m.put("pinned", pinned);
        m.put("policy", policy.label());
        m.put("priority", priority);
        return m;
    }

    public static VcpuPlacement fromJson(JsonObject o) {
        return new VcpuPlacement(o.intValue("vcpu"), PlanJson.cpus(o, "pcpus"),
                o.optBool("pinned").orElse(true), PlanJson.policy(o, "policy"), o.intValue("priority"));
    }
}
