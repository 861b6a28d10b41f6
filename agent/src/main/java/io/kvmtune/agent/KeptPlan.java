package io.kvmtune.agent;

import io.kvmtune.core.plan.TuningPlan;
import java.util.Optional;

/**
 * The plan kept for one QEMU, and where it was found.
 *
 * @param plan the plan
 * @param name the guest name (domain name, {@code -name guest=}), or {@code pid N}
 * @param uuid the domain UUID of a libvirt guest
 * @param source {@code prepare} (the libvirt hook's kept plan) or {@code record} (an apply record)
 */
record KeptPlan(TuningPlan plan, String name, Optional<String> uuid, String source) {
}
