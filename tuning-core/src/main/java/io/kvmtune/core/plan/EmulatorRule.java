package io.kvmtune.core.plan;

import java.util.Arrays;

/**
 * Which of Nova's rules ({@code _get_emulatorpin_cpuset}) placed the emulator threads; the first
 * that applies wins.
 */
public enum EmulatorRule {
    /** {@code hw:emulator_threads_policy=isolate}: the one extra pCPU reserved for the guest. */
    ISOLATE("isolate"),
    /** {@code hw:emulator_threads_policy=share} with {@code cpu_shared_set}: that set, online CPUs only. */
    SHARE_SHARED_SET("share-shared-set"),
    /** A realtime guest otherwise: the pCPUs of its non-realtime vCPUs. */
    NON_REALTIME_VCPUS("non-realtime-vcpus"),
    /** A guest without realtime otherwise: all of its own pCPUs. */
    GUEST_PCPUS("guest-pcpus");

    private final String label;

    EmulatorRule(String label) {
        this.label = label;
    }

    /** The name in plan JSON (CLI.md). */
    public String label() {
        return label;
    }

    public static EmulatorRule ofLabel(String label) {
        return Arrays.stream(values()).filter(r -> r.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown emulator rule '" + label
                        + "' (expected isolate, share-shared-set, non-realtime-vcpus or guest-pcpus)"));
    }
}
