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
 * of the {@code partition.disjoint} check, not an input error. The dedicated set may be empty (a
 * host not configured yet): the readiness checks report that ({@code partition.dedicated}) and
 * run all the others; preparing the host needs it ({@link #requireDedicated}).
 *
 * @param dedicated Nova's {@code cpu_dedicated_set}
 * @param housekeeping Nova's {@code cpu_shared_set}, or the online CPUs outside the dedicated set
 */
public record Partition(CpuSet dedicated, CpuSet housekeeping) implements JsonWritable {

    private static final String NO_DEDICATED = "dedicated: no dedicated CPUs: give --dedicated or set [compute] cpu_dedicated_set";

    public Partition {
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

    /**
     * This partition, when it has dedicated CPUs to prepare the host for.
     *
     * @throws InvalidInputException keyed {@code dedicated} when the dedicated set is empty
     */
    public Partition requireDedicated() {
        if (dedicated.isEmpty()) {
            throw InvalidInputException.invalid("dedicated", "", NO_DEDICATED);
        }
        return this;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dedicated", dedicated.format());
        m.put("housekeeping", housekeeping.format());
        return m;
    }
}
