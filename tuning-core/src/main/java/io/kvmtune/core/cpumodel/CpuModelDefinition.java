package io.kvmtune.core.cpumodel;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One named CPU model of libvirt's {@code cpu_map}, with its ancestor's content already folded in.
 *
 * @param name libvirt's spelling ({@code Skylake-Client-IBRS})
 * @param vendor libvirt's vendor name ({@code Intel}, {@code AMD}), or empty for generic models
 * @param features the features a guest of this model gets, in libvirt's canonical spelling
 * @param removedFeatures features marked {@code removed='yes'}: QEMU dropped them from the model,
 *     so libvirt no longer requires them from the host either
 * @param signatures the CPU family/model pairs the model was made after, used to decode a host CPU
 * @param decodeHost false when libvirt never describes a host CPU with this model ({@code cpu64-rhel5})
 */
public record CpuModelDefinition(
        String name,
        Optional<String> vendor,
        SortedSet<String> features,
        SortedSet<String> removedFeatures,
        List<Signature> signatures,
        boolean decodeHost) {

    /** A CPU family and model number as CPUID leaf 1 reports them (extended fields included). */
    public record Signature(int family, int model) {
    }

    public CpuModelDefinition {
        features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
        removedFeatures = Collections.unmodifiableSortedSet(new TreeSet<>(removedFeatures));
        signatures = List.copyOf(signatures);
    }

    /** True when a host of {@code family}/{@code model} is one this model was made after. */
    public boolean hasSignature(int family, int model) {
        return signatures.contains(new Signature(family, model));
    }
}
