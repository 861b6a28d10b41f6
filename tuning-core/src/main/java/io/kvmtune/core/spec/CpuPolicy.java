package io.kvmtune.core.spec;

import java.util.Locale;

/** {@code hw:cpu_policy} / {@code hw_cpu_policy}: how the guest's vCPUs get host CPUs. */
public enum CpuPolicy {
    /** vCPUs float on the host's shared CPUs (Nova's default). */
    SHARED,
    /** Every vCPU gets its own pCPU from {@code cpu_dedicated_set}. */
    DEDICATED,
    /** Some vCPUs are pinned (the dedicated or realtime mask), the rest float (Nova 22.0.0+). */
    MIXED;

    /** The value as written in extra specs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
