package io.kvmtune.core.cpumodel;

import java.util.List;

/**
 * One {@code <feature>} of libvirt's {@code cpu_map}.
 *
 * @param name libvirt's canonical spelling, as guest XML and {@code virsh domcapabilities} write it
 * @param aliases other spellings libvirt accepts (QEMU's and Linux's, such as {@code sse4_1})
 * @param migratable false for features libvirt refuses to live-migrate (such as {@code invtsc})
 * @param bits where the feature shows in CPUID or an MSR; empty on architectures whose map gives none
 */
public record CpuFeatureDefinition(String name, List<String> aliases, boolean migratable, List<CpuRegisterBits> bits) {

    public CpuFeatureDefinition {
        aliases = List.copyOf(aliases);
        bits = List.copyOf(bits);
    }
}
