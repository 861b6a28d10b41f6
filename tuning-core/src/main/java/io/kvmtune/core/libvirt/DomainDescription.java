package io.kvmtune.core.libvirt;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What kvmtune needs from a libvirt domain definition.
 *
 * @param name the domain name ({@code <name>})
 * @param uuid the domain UUID ({@code <uuid>}), which libvirt always writes for defined domains
 * @param vcpus the maximum vCPU count ({@code <vcpu>} text); hot-pluggable vCPUs beyond
 *     {@code current} are planned for too, so that plugging one in never needs a new pCPU
 * @param tuning kvmtune's request from {@code <metadata>}, if the domain carries one
 * @param novaFlavor the flavor name from Nova's instance metadata, if Nova created the domain
 * @param memoryMb the guest's memory ({@code <memory>}, in its unit) in MiB, rounded up; empty when
 *     the domain gives none
 */
public record DomainDescription(String name, Optional<String> uuid, int vcpus, Optional<TuningMetadata> tuning,
        Optional<String> novaFlavor, OptionalLong memoryMb) {
}
