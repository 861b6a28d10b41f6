package io.kvmtune.core.plan;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.linux.SchedPolicy;
import java.util.List;

/** Conversions shared by the plan records' JSON forms. */
final class PlanJson {

    private PlanJson() {
    }

    /** CPU sets are JSON arrays of numbers in CLI.md, so scripts need no cpu spec parser. */
    static List<Integer> cpus(CpuSet set) {
        return set.stream().boxed().toList();
    }

    static CpuSet cpus(JsonObject o, String name) {
        List<Object> items = o.array(name);
        int[] cpus = new int[items.size()];
        for (int i = 0; i < cpus.length; i++) {
            if (!(items.get(i) instanceof Long cpu) || cpu < 0 || cpu > CpuSet.MAX_CPU) {
                throw invalid(o.path() + "." + name + "[" + i + "]", items.get(i),
                        "must be a CPU number from 0 to " + CpuSet.MAX_CPU);
            }
            cpus[i] = cpu.intValue();
        }
        return CpuSet.of(cpus);
    }

    static SchedPolicy policy(JsonObject o, String name) {
        String label = o.string(name);
        try {
            return SchedPolicy.ofLabel(label);
        } catch (IllegalArgumentException e) {
            throw invalid(o.path() + "." + name, label, e.getMessage());
        }
    }

    static InvalidInputException invalid(String path, Object value, String message) {
        return InvalidInputException.invalid(path, String.valueOf(value), path + " " + message);
    }
}
