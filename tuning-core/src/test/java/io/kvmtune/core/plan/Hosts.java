package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuMode;
import io.kvmtune.core.spec.HostPolicy;
import java.util.List;
import java.util.Optional;

/** {@link HostPolicy} values for planner tests, written as the nova.conf lines they stand for. */
public final class Hosts {

    private Hosts() {
    }

    /** {@code cpu_dedicated_set=dedicated}, {@code cpu_shared_set=shared} (either may be null), kvm. */
    public static HostPolicy policy(String dedicated, String shared) {
        return new HostPolicy(Optional.ofNullable(dedicated).map(CpuSet::parse), Optional.ofNullable(shared).map(CpuSet::parse),
                "kvm", Optional.empty(), List.of(), List.of(), 1);
    }

    public static HostPolicy withPriority(HostPolicy p, int priority) {
        return new HostPolicy(p.dedicatedSet(), p.sharedSet(), p.virtType(), p.cpuMode(), p.cpuModels(), p.extraFlags(),
                priority);
    }

    public static HostPolicy withVirtType(HostPolicy p, String virtType) {
        return new HostPolicy(p.dedicatedSet(), p.sharedSet(), virtType, p.cpuMode(), p.cpuModels(), p.extraFlags(),
                p.realtimePriority());
    }

    public static HostPolicy withCpu(HostPolicy p, CpuMode mode, List<String> models, List<CpuFeature> flags) {
        return new HostPolicy(p.dedicatedSet(), p.sharedSet(), p.virtType(), Optional.ofNullable(mode), models, flags,
                p.realtimePriority());
    }
}
