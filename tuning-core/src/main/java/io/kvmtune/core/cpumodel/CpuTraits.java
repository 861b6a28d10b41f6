package io.kvmtune.core.cpumodel;

import io.kvmtune.core.spec.FlavorTraits;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Nova's table between placement's CPU traits and libvirt feature names
 * ({@code nova/virt/libvirt/utils.py}, {@code CPU_TRAITS_MAPPING} and its reverse), used to pick a
 * CPU model for a flavor that requires traits.
 *
 * <p>Kept as Nova has it, quirks included: {@code HW_CPU_X86_SSE3} maps to {@code sse3}, which
 * libvirt calls {@code pni}, so no model ever matches it; and Nova's reverse table keys the two
 * trait pairs of {@code svm} and {@code vmx} as tuples, so requiring {@code HW_CPU_X86_SVM} or
 * {@code HW_CPU_X86_VMX} selects nothing and those traits are ignored.
 */
public final class CpuTraits {

    private static final String PREFIX = "HW_CPU_X86_";

    /** Trait suffix (after {@code HW_CPU_X86_}) to libvirt feature name. */
    private static final Map<String, String> FEATURE_BY_TRAIT = Map.ofEntries(
            Map.entry("3DNOW", "3dnow"),
            Map.entry("ABM", "abm"),
            Map.entry("AESNI", "aes"),
            Map.entry("AVX", "avx"),
            Map.entry("AVX2", "avx2"),
            Map.entry("AVX512BW", "avx512bw"),
            Map.entry("AVX512CD", "avx512cd"),
            Map.entry("AVX512DQ", "avx512dq"),
            Map.entry("AVX512ER", "avx512er"),
            Map.entry("AVX512F", "avx512f"),
            Map.entry("AVX512PF", "avx512pf"),
            Map.entry("AVX512VL", "avx512vl"),
            Map.entry("AVX512VNNI", "avx512vnni"),
            Map.entry("AVX512VBMI", "avx512vbmi"),
            Map.entry("AVX512IFMA", "avx512ifma"),
            Map.entry("AVX512VBMI2", "avx512vbmi2"),
            Map.entry("AVX512BITALG", "avx512bitalg"),
            Map.entry("AVX512VAES", "vaes"),
            Map.entry("AVX512GFNI", "gfni"),
            Map.entry("AVX512VPCLMULQDQ", "vpclmulqdq"),
            Map.entry("AVX512VPOPCNTDQ", "avx512-vpopcntdq"),
            Map.entry("BMI", "bmi1"),
            Map.entry("BMI2", "bmi2"),
            Map.entry("CLMUL", "pclmuldq"),
            Map.entry("F16C", "f16c"),
            Map.entry("FMA3", "fma"),
            Map.entry("FMA4", "fma4"),
            Map.entry("MMX", "mmx"),
            Map.entry("MPX", "mpx"),
            Map.entry("SHA", "sha-ni"),
            Map.entry("SSE", "sse"),
            Map.entry("SSE2", "sse2"),
            Map.entry("SSE3", "sse3"),
            Map.entry("SSE41", "sse4.1"),
            Map.entry("SSE42", "sse4.2"),
            Map.entry("SSE4A", "sse4a"),
            Map.entry("SSSE3", "ssse3"),
            Map.entry("TBM", "tbm"),
            Map.entry("XOP", "xop"));

    private CpuTraits() {
    }

    /**
     * The libvirt features a flavor requires through {@code trait:HW_CPU_X86_*=required} extra
     * specs ({@link FlavorTraits}); other traits are ignored.
     */
    public static Set<String> requiredFeatures(Map<String, String> flavorExtraSpecs) {
        return features(FlavorTraits.required(flavorExtraSpecs));
    }

    /** The libvirt features of the {@code HW_CPU_X86_*} traits among {@code traits}; others are ignored. */
    public static Set<String> features(Set<String> traits) {
        Set<String> out = new TreeSet<>();
        for (String trait : traits) {
            if (trait.startsWith(PREFIX)) {
                String feature = FEATURE_BY_TRAIT.get(trait.substring(PREFIX.length()));
                if (feature != null) {
                    out.add(feature);
                }
            }
        }
        return out;
    }
}
