package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The image properties kvmtune reads, typed as Nova's {@code ImageMetaProps} types them: enums
 * for the policies, integers, canonical architecture and hypervisor names, booleans (strict here:
 * an unrecognised boolean is an error, where Nova reads it as false). Masks and page sizes stay
 * strings, as in Nova, and are checked where they are used. Other properties are ignored.
 *
 * @param cpuPolicy {@code hw_cpu_policy}
 * @param cpuThreadPolicy {@code hw_cpu_thread_policy}
 * @param realtimeMask {@code hw_cpu_realtime_mask}, as written
 * @param lockedMemory {@code hw_locked_memory}
 * @param memPageSize {@code hw_mem_page_size}, as written
 * @param numaNodes {@code hw_numa_nodes}
 * @param hpet {@code hw_time_hpet}
 * @param architecture the canonical {@code hw_architecture} (legacy name {@code architecture}) and
 *     the key it came from
 * @param emulationArchitecture the canonical {@code hw_emulation_architecture}
 * @param hypervisorType the canonical {@code hypervisor_type} ({@code img_hv_type})
 * @param properties every property as given, in key order, for the rules that scan a family of keys
 */
public record ImageProperties(
        Optional<CpuPolicy> cpuPolicy,
        Optional<CpuThreadPolicy> cpuThreadPolicy,
        Optional<String> realtimeMask,
        Optional<Boolean> lockedMemory,
        Optional<String> memPageSize,
        OptionalInt numaNodes,
        Optional<Boolean> hpet,
        Optional<Setting> architecture,
        Optional<String> emulationArchitecture,
        Optional<String> hypervisorType,
        Map<String, String> properties) {

    /** A typed value and the {@code key=value} it was read from. */
    public record Setting(String value, String source) {
    }

    /** Nova's {@code HVType} names ({@code xapi} is folded into {@code xen}). */
    private static final Set<String> HYPERVISOR_TYPES = Set.of(
            "baremetal", "bhyve", "docker", "fake", "hyperv", "ironic", "kqemu", "kvm", "lxc", "lxd",
            "openvz", "parallels", "virtuozzo", "phyp", "qemu", "test", "uml", "vbox", "vmware", "xen",
            "zvm", "pvm");

    public ImageProperties {
        properties = Collections.unmodifiableSortedMap(new TreeMap<>(properties));
    }

    /**
     * Types {@code props}.
     *
     * @throws InvalidInputException naming the first property that does not type, with Nova's
     *     exception for it ({@code InvalidCPUAllocationPolicy}, {@code InvalidArchitectureName},
     *     ...) or {@code Invalid}
     */
    public static ImageProperties of(Map<String, String> props) {
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw InvalidInputException.invalid(e.getKey(), e.getValue(),
                        "image property " + e.getKey() + " has no " + (e.getKey() == null ? "key" : "value"));
            }
        }
        Optional<Setting> arch = Optional.ofNullable(props.get("hw_architecture"))
                .map(v -> new Setting(Architecture.canonicalize("hw_architecture", v), "hw_architecture=" + v))
                .or(() -> Optional.ofNullable(props.get("architecture"))
                        .map(v -> new Setting(Architecture.canonicalize("architecture", v), "architecture=" + v)));
        return new ImageProperties(
                get(props, "hw_cpu_policy").map(v -> imageMetadata(() -> Policies.cpuPolicy("hw_cpu_policy", v))),
                get(props, "hw_cpu_thread_policy")
                        .map(v -> imageMetadata(() -> Policies.cpuThreadPolicy("hw_cpu_thread_policy", v))),
                get(props, "hw_cpu_realtime_mask"),
                get(props, "hw_locked_memory").map(v -> NovaBoolean.parse("Invalid", "hw_locked_memory", v)),
                get(props, "hw_mem_page_size"),
                get(props, "hw_numa_nodes")
                        .map(v -> OptionalInt.of(ExtraSpecs.parseInt("InvalidNUMANodesNumber", "hw_numa_nodes", v, 1)))
                        .orElse(OptionalInt.empty()),
                get(props, "hw_time_hpet").map(v -> NovaBoolean.parse("Invalid", "hw_time_hpet", v)),
                arch,
                get(props, "hw_emulation_architecture")
                        .map(v -> Architecture.canonicalize("hw_emulation_architecture", v)),
                get(props, "hypervisor_type").map(ImageProperties::hypervisorType),
                props);
    }

    private static Optional<String> get(Map<String, String> props, String key) {
        return Optional.ofNullable(props.get(key));
    }

    private static String hypervisorType(String value) {
        String canonical = value.strip().toLowerCase(Locale.ROOT);
        if (canonical.equals("xapi")) {
            canonical = "xen";
        }
        if (!HYPERVISOR_TYPES.contains(canonical)) {
            throw new InvalidInputException("InvalidHypervisorVirtType", "hypervisor_type", value,
                    "hypervisor_type=" + value + " is not a hypervisor type Nova knows (for example kvm, qemu)");
        }
        return canonical;
    }

    /**
     * An enum-typed image property whose value is not one of the enum's: Nova's image metadata
     * object refuses to coerce it, which its API reports as {@code InvalidRequest} ("Invalid image
     * metadata"), not as the flavor key's exception.
     */
    private static <T> T imageMetadata(Supplier<T> typed) {
        try {
            return typed.get();
        } catch (InvalidInputException e) {
            throw new InvalidInputException("InvalidRequest", e.key(), e.value(), "Invalid image metadata: "
                    + e.getMessage());
        }
    }
}
