package io.kvmtune.hostprep.check;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.spec.HostPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The split of a host's CPUs that hostprep prepares for: dedicated CPUs for pinned (real-time)
 * vCPUs, housekeeping CPUs for everything else. The sets may overlap here: that is a finding
 * of the {@code partition.disjoint} check, not an input error.
 *
 * @param dedicated Nova's {@code cpu_dedicated_set}
 * @param housekeeping Nova's {@code cpu_shared_set}, or the online CPUs outside the dedicated set
 */
public record Partition(CpuSet dedicated, CpuSet housekeeping) implements JsonWritable {

    public Partition {
        if (dedicated.isEmpty()) {
            throw InvalidInputException.invalid("dedicated", "",
                    "dedicated: no dedicated CPUs: give --dedicated or set [compute] cpu_dedicated_set");
        }
        if (housekeeping.isEmpty()) {
            throw InvalidInputException.invalid("housekeeping", "",
                    "housekeeping: no housekeeping CPUs left: at least one CPU must run the host");
        }
    }

    /**
     * The partition given on the command line, else the host configuration's: dedicated from
     * {@code cpu_dedicated_set}, housekeeping from {@code cpu_shared_set} or, when that is unset,
     * the online CPUs outside the dedicated set.
     */
    public static Partition resolve(Optional<CpuSet> dedicated, Optional<CpuSet> housekeeping, HostPolicy policy,
            CpuSet online) {
        CpuSet ded = dedicated.or(policy::dedicatedSet).orElse(CpuSet.empty());
        CpuSet hk = housekeeping.or(policy::sharedSet).orElseGet(() -> online.minus(ded));
        return new Partition(ded, hk);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dedicated", dedicated.format());
        m.put("housekeeping", housekeeping.format());
        return m;
    }
}
