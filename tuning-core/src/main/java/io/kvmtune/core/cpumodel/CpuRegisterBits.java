package io.kvmtune.core.cpumodel;

import java.util.Locale;

/**
 * Where a feature shows itself to software: set bits in one register of a CPUID leaf or of a
 * model-specific register, as libvirt's {@code cpu_map} defines it.
 *
 * @param source {@link Source#CPUID} or {@link Source#MSR}
 * @param index the CPUID leaf ({@code eax_in}) or the MSR index
 * @param subleaf the CPUID sub-leaf ({@code ecx_in}); 0 for MSRs
 * @param register {@code eax}, {@code ebx}, {@code ecx} or {@code edx}
 * @param mask the bits that must all be set
 */
public record CpuRegisterBits(Source source, long index, long subleaf, String register, long mask) {

    /** How the bits are read. */
    public enum Source {
        CPUID,
        MSR
    }

    /** For people: {@code cpuid 0x7.0 ebx 0x00000020}, {@code msr 0x10a eax 0x00000001}. */
    @Override
    public String toString() {
        String where = source == Source.CPUID
                ? String.format(Locale.ROOT, "cpuid 0x%x.%d", index, subleaf)
                : String.format(Locale.ROOT, "msr 0x%x", index);
        return String.format(Locale.ROOT, "%s %s 0x%08x", where, register, mask);
    }
}
