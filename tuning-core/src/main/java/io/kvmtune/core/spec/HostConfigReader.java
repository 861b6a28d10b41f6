package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.CpuFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the host's {@link HostPolicy} from nova.conf options, with the start-up checks of Nova's
 * libvirt driver:
 *
 * <ul>
 *   <li>{@code [compute] cpu_dedicated_set}, {@code cpu_shared_set} and the legacy
 *       {@code [DEFAULT] vcpu_pin_set} must parse to at least one CPU ({@code Invalid});</li>
 *   <li>{@code _check_cpu_set_configuration}: the dedicated and shared sets are disjoint,
 *       {@code reserved_host_cpus} goes with neither of them nor with {@code vcpu_pin_set}, and
 *       {@code vcpu_pin_set} does not go with {@code cpu_dedicated_set} ({@code InvalidConfiguration});</li>
 *   <li>the CPUs of {@code cpu_shared_set} (or {@code vcpu_pin_set}) are online ({@code Invalid});</li>
 *   <li>{@code _check_cpu_compatibility} rules 1-3: a CPU mode other than {@code none} needs
 *       virt_type kvm or qemu, {@code cpu_models} only with mode {@code custom}, and {@code custom}
 *       needs a model ({@code Invalid}).</li>
 * </ul>
 * Model names are kept as configured: resolving them against libvirt's CPU map and comparing them
 * with the host is the CPU-model code's job. The legacy {@code vcpu_pin_set} is kept apart: the
 * planner gives it Nova's meaning (the CPUs of floating guests and, without
 * {@code cpu_dedicated_set}, of pinned ones). A blank value is unset, as oslo.config reads it.
 * Sections and keys kvmtune does not use are ignored. Errors name {@code section.key} and the value.
 */
public final class HostConfigReader {

    private static final List<String> VIRT_TYPES = List.of("kvm", "lxc", "qemu", "parallels");

    private HostConfigReader() {
    }

    /** Parses {@code text} (from the file {@code source}) and reads it; see {@link #read}. */
    public static HostPolicy parse(String text, String source, CpuSet onlineCpus) {
        return read(IniConfig.parse(text, source), onlineCpus);
    }

    /**
     * Reads and checks the host policy.
     *
     * @param onlineCpus the host's online CPUs, which the shared set must lie within
     * @throws InvalidInputException {@code Invalid} or {@code InvalidConfiguration}, keyed by
     *     {@code section.key}
     */
    public static HostPolicy read(IniConfig conf, CpuSet onlineCpus) {
        Optional<CpuSet> pinSet = cpuSet(conf, "DEFAULT", "vcpu_pin_set");
        Optional<CpuSet> shared = cpuSet(conf, "compute", "cpu_shared_set");
        Optional<CpuSet> dedicated = cpuSet(conf, "compute", "cpu_dedicated_set");
        Optional<String> reserved = setting(conf, "DEFAULT", "reserved_host_cpus");
        int reservedCpus = reserved.map(v -> integer(conf, "DEFAULT", "reserved_host_cpus", v, 0, Integer.MAX_VALUE)).orElse(0);

        if (pinSet.isEmpty()) {
            if (shared.isPresent() && dedicated.isPresent() && shared.get().intersects(dedicated.get())) {
                throw new InvalidInputException("InvalidConfiguration", "compute.cpu_shared_set", shared.get().format(),
                        "[compute] cpu_shared_set=" + shared.get() + " and cpu_dedicated_set=" + dedicated.get()
                                + " must be disjoint; both hold " + shared.get().intersect(dedicated.get()));
            }
            if (reservedCpus > 0 && (shared.isPresent() || dedicated.isPresent())) {
                throw reservedConflict(reserved.get(), "[compute] cpu_shared_set or cpu_dedicated_set");
            }
        } else {
            if (dedicated.isPresent()) {
                throw new InvalidInputException("InvalidConfiguration", "DEFAULT.vcpu_pin_set", pinSet.get().format(),
                        "the deprecated [DEFAULT] vcpu_pin_set cannot be set together with [compute]"
                                + " cpu_dedicated_set; unset vcpu_pin_set");
            }
            if (reservedCpus > 0) {
                throw reservedConflict(reserved.get(), "[DEFAULT] vcpu_pin_set");
            }
        }
        // Nova checks the set that floating guests use (_get_vcpu_available): vcpu_pin_set, else cpu_shared_set.
        if (pinSet.isPresent()) {
            requireOnline("DEFAULT", "vcpu_pin_set", pinSet.get(), onlineCpus);
        } else if (shared.isPresent()) {
            requireOnline("compute", "cpu_shared_set", shared.get(), onlineCpus);
        }

        String virtType = setting(conf, "libvirt", "virt_type").map(String::strip).orElse("kvm");
        if (!VIRT_TYPES.contains(virtType)) {
            throw new InvalidInputException("InvalidConfiguration", "libvirt.virt_type", virtType,
                    "[libvirt] virt_type=" + virtType + " is not one of " + String.join(", ", VIRT_TYPES));
        }
        Optional<CpuMode> mode = setting(conf, "libvirt", "cpu_mode").map(v -> cpuMode(v.strip()));
        String modelsKey = setting(conf, "libvirt", "cpu_models").isPresent() ? "cpu_models" : "cpu_model";
        List<String> models = list(setting(conf, "libvirt", modelsKey).orElse(""));
        List<CpuFeature> flags = extraFlags(setting(conf, "libvirt", "cpu_model_extra_flags").orElse(""));
        checkCpuCompatibility(virtType, mode, modelsKey, models);
        int priority = setting(conf, "libvirt", "realtime_scheduler_priority")
                .map(v -> integer(conf, "libvirt", "realtime_scheduler_priority", v, 1, 99))
                .orElse(1);

        boolean pack = setting(conf, "compute", "packing_host_numa_cells_allocation_strategy")
                .map(v -> NovaBoolean.parse("InvalidConfiguration", "compute.packing_host_numa_cells_allocation_strategy",
                        v.strip()))
                .orElse(false);
        return new HostPolicy(dedicated, shared, virtType, mode, models, flags, priority, pinSet, pack);
    }

    /**
     * {@code [section] key}, or empty when it is not set or set to a blank value: oslo.config reads
     * {@code cpu_shared_set =} as the empty string, which Nova's options treat as unset.
     */
    private static Optional<String> setting(IniConfig conf, String section, String key) {
        return conf.get(section, key).filter(v -> !v.isBlank());
    }

    /** Nova's get_cpu_shared_set and friends: unset is absent, set but empty is an error. */
    private static Optional<CpuSet> cpuSet(IniConfig conf, String section, String key) {
        Optional<String> value = setting(conf, section, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String name = section + "." + key;
        CpuSet set = CpuSet.parse(value.get(), name);
        if (set.isEmpty()) {
            throw InvalidInputException.invalid(name, value.get(), "[" + section + "] " + key + "=" + value.get()
                    + ": No CPUs available after parsing (" + conf.where(section, key) + ")");
        }
        return Optional.of(set);
    }

    private static InvalidInputException reservedConflict(String value, String with) {
        return new InvalidInputException("InvalidConfiguration", "DEFAULT.reserved_host_cpus", value,
                "[DEFAULT] reserved_host_cpus=" + value + " cannot be set together with " + with
                        + "; unset reserved_host_cpus (the CPUs left out of the sets are the host's)");
    }

    private static void requireOnline(String section, String key, CpuSet set, CpuSet online) {
        if (!online.containsAll(set)) {
            throw InvalidInputException.invalid(section + "." + key, set.format(), "[" + section + "] " + key + "="
                    + set + " holds CPUs " + set.minus(online) + " that are not online (online: " + online + ")");
        }
    }

    private static CpuMode cpuMode(String value) {
        for (CpuMode m : CpuMode.values()) {
            if (m.label().equals(value)) {
                return m;
            }
        }
        throw new InvalidInputException("InvalidConfiguration", "libvirt.cpu_mode", value,
                "[libvirt] cpu_mode=" + value + " is not one of host-model, host-passthrough, custom, none");
    }

    /** Nova's _check_cpu_compatibility, rules 1-3 (rule 4 compares models with the host). */
    private static void checkCpuCompatibility(String virtType, Optional<CpuMode> mode, String modelsKey, List<String> models) {
        if (!virtType.equals("kvm") && !virtType.equals("qemu") && mode.isPresent() && mode.get() != CpuMode.NONE) {
            throw InvalidInputException.invalid("libvirt.cpu_mode", mode.get().label(), "[libvirt] cpu_mode="
                    + mode.get().label() + " asks for an explicit CPU model, but virt_type=" + virtType
                    + " does not support selecting CPU models; use cpu_mode=none or unset it");
        }
        if (mode.orElse(null) != CpuMode.CUSTOM && !models.isEmpty()) {
            throw InvalidInputException.invalid("libvirt." + modelsKey, String.join(",", models), "[libvirt] "
                    + modelsKey + "=" + String.join(",", models) + " is only used when cpu_mode=custom, and cpu_mode is "
                    + mode.map(CpuMode::label).orElse("unset"));
        }
        if (mode.orElse(null) == CpuMode.CUSTOM && models.isEmpty()) {
            throw InvalidInputException.invalid("libvirt.cpu_models", "", "[libvirt] cpu_models is required when"
                    + " cpu_mode=custom: name at least one CPU model");
        }
    }

    /**
     * {@code cpu_model_extra_flags}: {@code +flag} or {@code flag} requires, {@code -flag}
     * disables; names are lower-cased. Repeats collapse; one flag both required and disabled is
     * an error, since libvirt would get two contradicting features.
     */
    private static List<CpuFeature> extraFlags(String value) {
        Map<String, CpuFeature> byName = new LinkedHashMap<>();
        for (String item : list(value)) {
            char sign = item.charAt(0);
            String name = (sign == '+' || sign == '-' ? item.substring(1) : item).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.charAt(0) == '-' || name.chars().anyMatch(c -> c <= ' ' || c == '+')) {
                throw new InvalidInputException("InvalidConfiguration", "libvirt.cpu_model_extra_flags", item,
                        "[libvirt] cpu_model_extra_flags item '" + item + "' is not +flag, -flag or flag");
            }
            CpuFeature feature = new CpuFeature(name, sign == '-' ? "disable" : "require");
            CpuFeature before = byName.putIfAbsent(name, feature);
            if (before != null && !before.equals(feature)) {
                throw new InvalidInputException("InvalidConfiguration", "libvirt.cpu_model_extra_flags", value,
                        "[libvirt] cpu_model_extra_flags both requires and disables " + name);
            }
        }
        return List.copyOf(byName.values());
    }

    /** An oslo ListOpt: comma-separated, items trimmed, empty items dropped. */
    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static int integer(IniConfig conf, String section, String key, String value, int min, int max) {
        long n = Decimal.parse(value.strip(), max);
        if (n < min || n > max) {
            throw new InvalidInputException("InvalidConfiguration", section + "." + key, value, "[" + section + "] "
                    + key + "=" + value + " must be an integer from " + min + " to " + max
                    + " (" + conf.where(section, key) + ")");
        }
        return (int) n;
    }
}
