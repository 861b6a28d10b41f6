package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;

/**
 * The request check that needs the host: Nova's libvirt driver refuses, when it builds the guest's
 * configuration, a realtime guest whose emulator threads should share {@code [compute]
 * cpu_shared_set} on a host that has none, whatever the mask (nova-semantics.md §2). The
 * planner runs it first, since it is the one place that sees request and host together.
 */
public final class SpawnCheck {

    private SpawnCheck() {
    }

    /**
     * @throws InvalidInputException {@code RealtimeMaskNotFoundOrInvalid} naming
     *     {@code hw:emulator_threads_policy} when the request is realtime with {@code share} and
     *     the host has no shared set
     */
    public static void check(TuningRequest request, HostPolicy host) {
        if (request.isRealtime()
                && request.emulatorThreadsPolicy().orElse(null) == EmulatorThreadsPolicy.SHARE
                && host.sharedSet().isEmpty()) {
            throw new InvalidInputException("RealtimeMaskNotFoundOrInvalid", "hw:emulator_threads_policy", "share",
                    "a realtime guest with hw:emulator_threads_policy=share pools its emulator threads on"
                            + " [compute] cpu_shared_set, which this host does not configure ("
                            + request.source(RequestSetting.REALTIME) + "); without it they would float over the"
                            + " realtime vCPUs' pCPUs. Set cpu_shared_set, or use hw:emulator_threads_policy=isolate");
        }
    }
}
