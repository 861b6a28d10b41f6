package io.kvmtune.core.cpumodel;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Names the x86 feature flags of {@code /proc/cpuinfo} the way libvirt's {@code cpu_map} does.
 *
 * <p>The kernel and libvirt name most CPUID bits alike or nearly so, so the mapping is by rule:
 * a flag maps to the map's feature (or feature alias: libvirt records several Linux and QEMU
 * spellings, such as {@code sse4_1}, {@code pclmulqdq}, {@code arch_capabilities}, {@code cqm})
 * whose name is the flag itself, else the flag with {@code _} as {@code -}
 * ({@code sha_ni} → {@code sha-ni}), as {@code .}, or dropped ({@code avx512_vnni} →
 * {@code avx512vnni}, {@code cr8_legacy} → {@code cr8legacy}). Rules run in that order and the
 * first name the map knows wins. {@link #RENAMED} holds the real exceptions, where the kernel
 * chose another word for the same bit.
 *
 * <p>Some flags are computed by the kernel rather than read from one CPUID bit, and must not be
 * matched by name. The speculation-control flags {@code ibrs}, {@code ibpb}, {@code stibp} and
 * {@code ssbd} are set from either Intel's leaf-7 bits or AMD's leaf 0x80000008 bits; they are
 * mapped to the bits of the host's own vendor ({@link #speculationControl}), which is exact on
 * bare metal. Under KVM a guest may see both vendors' bits and the kernel cannot tell which set
 * the flag. {@code split_lock_detect} may come from a model list, not the MSR bit libvirt names.
 *
 * <p>libvirt features with no {@code /proc/cpuinfo} flag, which this mapping therefore never
 * reports present (models that need them show them as missing): every MSR-defined feature
 * ({@code rdctl-no}, {@code ibrs-all} except through {@code ibrs_enhanced}, {@code rsba},
 * {@code skip-l1dfl-vmentry}, {@code ssb-no}, {@code mds-no}, {@code pschange-mc-no},
 * {@code tsx-ctrl}, {@code taa-no}, {@code split-lock-detect}: the kernel reports these only
 * inversely, as {@code bugs}); CPUID bits the kernel hides: {@code osxsave},
 * {@code core-capability}, the SGX sub-features of leaf 0x12 ({@code sgx1}, {@code sgx2},
 * {@code sgx-exinfo}, ...), {@code intel-pt-lip}, and on some kernels {@code amd-stibp},
 * {@code amd-ssbd}, {@code amd-no-ssb}.
 */
public final class LinuxCpuFlags {

    /** Flags the kernel spells differently from libvirt for the same CPUID or MSR bit. */
    static final Map<String, String> RENAMED = Map.of(
            "tsc_deadline_timer", "tsc-deadline",
            // The kernel sets nonstop_tsc (with constant_tsc) from CPUID 0x80000007 EDX bit 8, libvirt's invtsc.
            "nonstop_tsc", "invtsc",
            // CPUID 1 EDX bit 21 (debug store) is "dts" in the kernel, "ds" in libvirt.
            "dts", "ds",
            "tsxldtrk", "tsx-ldtrk",
            "pausefilter", "pause-filter",
            "cqm_mbm_total", "mbm_total",
            "cqm_mbm_local", "mbm_local",
            // Set exactly when IA32_ARCH_CAPABILITIES has IBRS_ALL.
            "ibrs_enhanced", "ibrs-all");

    /** Kernel-computed flags whose names collide with a libvirt feature of a different meaning. */
    static final Set<String> COMPUTED = Set.of("ibrs", "ibpb", "stibp", "ssbd", "split_lock_detect");

    private LinuxCpuFlags() {
    }

    /**
     * The result of naming a host's flags.
     *
     * @param features libvirt feature names the flags show present
     * @param unmapped flags with no libvirt feature (kernel-defined ones such as {@code constant_tsc})
     */
    public record Named(SortedSet<String> features, SortedSet<String> unmapped) {

        public Named {
            features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
            unmapped = Collections.unmodifiableSortedSet(new TreeSet<>(unmapped));
        }
    }

    /**
     * Names {@code flags} in libvirt's spelling.
     *
     * @param flags the {@code flags} of {@code /proc/cpuinfo}
     * @param vendor the host's libvirt vendor name ({@code Intel}, {@code AMD}, {@code Hygon}), if known
     * @param family the host's CPU family (decides whether AMD's {@code ssbd} may be the legacy MSR form)
     * @param map the map whose names to use
     */
    public static Named toLibvirt(Collection<String> flags, Optional<String> vendor, int family, CpuMap map) {
        TreeSet<String> features = new TreeSet<>();
        TreeSet<String> unmapped = new TreeSet<>();
        for (String flag : flags) {
            Optional<String> feature = COMPUTED.contains(flag) ? Optional.empty() : byName(flag, map);
            if (feature.isPresent()) {
                features.add(feature.get());
            } else if (!COMPUTED.contains(flag)) {
                unmapped.add(flag);
            }
        }
        List<String> fromSpeculationFlags = speculationControl(Set.copyOf(flags), vendor, family).stream()
                .filter(map.features()::containsKey).toList();
        features.addAll(fromSpeculationFlags);
        for (String flag : COMPUTED) {
            if (flags.contains(flag) && fromSpeculationFlags.stream().noneMatch(f -> flagMeans(flag, f))) {
                unmapped.add(flag);
            }
        }
        return new Named(features, unmapped);
    }

    /** The libvirt feature a flag names by rule or exception, or empty. */
    static Optional<String> byName(String flag, CpuMap map) {
        String renamed = RENAMED.get(flag);
        if (renamed != null) {
            return map.features().containsKey(renamed) ? Optional.of(renamed) : Optional.empty();
        }
        for (String candidate : List.of(flag, flag.replace('_', '-'), flag.replace('_', '.'), flag.replace("_", ""))) {
            Optional<String> feature = map.canonicalFeature(candidate);
            if (feature.isPresent()) {
                return feature;
            }
        }
        return Optional.empty();
    }

    /**
     * The libvirt features behind the kernel's speculation-control flags, read as the host
     * vendor's own enumeration. Intel: {@code ibrs} and {@code ibpb} together come from
     * {@code spec-ctrl}, {@code stibp} from {@code stibp}, {@code ssbd} from {@code ssbd}. AMD and
     * Hygon: {@code ibrs}, {@code ibpb} and {@code stibp} come from {@code ibrs}, {@code ibpb},
     * {@code amd-stibp}; {@code ssbd} from {@code amd-ssbd}, except on families 0x15-0x17, where
     * the kernel also sets it for the non-architectural LS_CFG MSR. A {@code virt_ssbd} flag means
     * {@code ssbd} came from the virtualised form, which the kernel shows by its own name.
     */
    static Set<String> speculationControl(Set<String> flags, Optional<String> vendor, int family) {
        TreeSet<String> out = new TreeSet<>();
        boolean ssbdFromSpecCtrl = flags.contains("ssbd") && !flags.contains("virt_ssbd");
        switch (vendor.orElse("")) {
            case "Intel" -> {
                if (flags.contains("ibrs") && flags.contains("ibpb")) {
                    out.add("spec-ctrl");
                }
                if (flags.contains("stibp")) {
                    out.add("stibp");
                }
                if (ssbdFromSpecCtrl) {
                    out.add("ssbd");
                }
            }
            case "AMD", "Hygon" -> {
                for (String flag : List.of("ibrs", "ibpb")) {
                    if (flags.contains(flag)) {
                        out.add(flag);
                    }
                }
                if (flags.contains("stibp")) {
                    out.add("amd-stibp");
                }
                if (ssbdFromSpecCtrl && (family < 0x15 || family > 0x17)) {
                    out.add("amd-ssbd");
                }
            }
            default -> {
                // Other vendors: the kernel's flags say nothing certain about which bit is set.
            }
        }
        return out;
    }

    private static boolean flagMeans(String flag, String feature) {
        return switch (flag) {
            case "ibrs", "ibpb" -> feature.equals(flag) || feature.equals("spec-ctrl");
            case "stibp" -> feature.equals("stibp") || feature.equals("amd-stibp");
            case "ssbd" -> feature.equals("ssbd") || feature.equals("amd-ssbd");
            default -> false;
        };
    }
}
