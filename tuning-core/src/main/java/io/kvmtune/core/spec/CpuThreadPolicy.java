package io.kvmtune.core.spec;

import java.util.Locale;

/** {@code hw:cpu_thread_policy}: how pinned vCPUs use SMT siblings. */
public enum CpuThreadPolicy {
    /** Prefer sibling threads of one core; fall back to any free pCPUs. */
    PREFER,
    /** Give each vCPU a whole core; its siblings stay unused by other guests. */
    ISOLATE,
    /** Only place on hosts with SMT, filling sibling threads. */
    REQUIRE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
