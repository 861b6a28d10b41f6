package io.kvmtune.core.spec;

import java.util.Locale;

/** {@code hw:emulator_threads_policy}: where QEMU's non-vCPU threads run. */
public enum EmulatorThreadsPolicy {
    /** On {@code cpu_shared_set} when the host has one, else with the guest's vCPUs. */
    SHARE,
    /** On one extra pCPU reserved for this guest. */
    ISOLATE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
