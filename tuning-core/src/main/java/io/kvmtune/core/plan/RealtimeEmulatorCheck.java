package io.kvmtune.core.plan;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.RequestSetting;
import io.kvmtune.core.spec.TuningRequest;

/**
 * Nova's spawn-time check that a realtime guest with {@code hw:emulator_threads_policy=share} has
 * a {@code cpu_shared_set} to put its emulator threads on (nova-semantics.md §2, "Same function").
 * Without one the emulator would float over the realtime vCPUs' pCPUs. It needs both the request
 * and the host, so it lives here, in the one place that sees both; validation calls it too.
 */
public final class RealtimeEmulatorCheck {

    private RealtimeEmulatorCheck() {
    }

    /**
     * @throws InvalidInputException code {@code RealtimeMaskNotFoundOrInvalid}, key
     *     {@code hw:emulator_threads_policy}, when the request is realtime, shares emulator threads
     *     and the host has no {@code cpu_shared_set} (checked whatever the mask)
     */
    public static void check(TuningRequest request, HostPolicy host) {
        if (request.isRealtime()
                && request.emulatorThreadsPolicy().orElse(null) == EmulatorThreadsPolicy.SHARE
                && host.sharedSet().isEmpty()) {
            throw new InvalidInputException("RealtimeMaskNotFoundOrInvalid", "hw:emulator_threads_policy", "share",
                    "realtime vCPUs with hw:emulator_threads_policy=share need [compute] cpu_shared_set for the "
                            + "emulator threads, and this host has none (" + request.source(RequestSetting.REALTIME)
                            + "); set cpu_shared_set or use hw:emulator_threads_policy=isolate");
        }
    }
}
