package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;

/**
 * Reads the policy enums from the values Nova accepts, case-sensitively as Nova's enums are, with
 * Nova's exception for each bad value and the allowed values in the message.
 */
final class Policies {

    private Policies() {
    }

    static CpuPolicy cpuPolicy(String key, String value) {
        for (CpuPolicy p : CpuPolicy.values()) {
            if (p.label().equals(value)) {
                return p;
            }
        }
        throw bad("InvalidCPUAllocationPolicy", key, value, "dedicated, shared, mixed");
    }

    static CpuThreadPolicy cpuThreadPolicy(String key, String value) {
        for (CpuThreadPolicy p : CpuThreadPolicy.values()) {
            if (p.label().equals(value)) {
                return p;
            }
        }
        throw bad("InvalidCPUThreadAllocationPolicy", key, value, "prefer, isolate, require");
    }

    static EmulatorThreadsPolicy emulatorThreadsPolicy(String key, String value) {
        for (EmulatorThreadsPolicy p : EmulatorThreadsPolicy.values()) {
            if (p.label().equals(value)) {
                return p;
            }
        }
        throw bad("InvalidEmulatorThreadsPolicy", key, value, "share, isolate");
    }

    private static InvalidInputException bad(String code, String key, String value, String allowed) {
        return new InvalidInputException(code, key, value,
                key + "=" + value + " is not a valid policy: use one of " + allowed + " (lower case)");
    }
}
