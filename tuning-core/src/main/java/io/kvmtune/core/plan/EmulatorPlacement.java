package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the emulator threads run: libvirt's {@code <emulatorpin>}. Every QEMU thread that is not
 * a vCPU is an emulator thread here; IO threads share this set, as Nova's {@code <iothreadpin>}
 * does since 33.0.0.
 *
 * @param pcpus the host CPUs, never empty
 * @param rule the rule that chose them
 */
public record EmulatorPlacement(CpuSet pcpus, EmulatorRule rule) implements JsonWritable {

    public EmulatorPlacement {
        if (pcpus.isEmpty()) {
            throw new IllegalArgumentException("emulator threads need at least one pCPU (rule " + rule.label() + ")");
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pcpus", PlanJson.cpus(pcpus));
        m.put("rule", rule.label());
        return m;
    }

    public static EmulatorPlacement fromJson(JsonObject o) {
        try {
            return new EmulatorPlacement(PlanJson.cpus(o, "pcpus"), EmulatorRule.ofLabel(o.string("rule")));
        } catch (IllegalArgumentException e) {
            throw PlanJson.invalid(o.path() + ".rule", o.get("rule"), e.getMessage());
        }
    }
}
