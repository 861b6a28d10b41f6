package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Flavor extra specs after the checks of Nova's API validators
 * ({@code nova/api/validation/extra_specs/hw.py}, microversion 2.86+).
 *
 * <p>Every key in the {@code hw:} namespace must be one Nova knows; the values of those kvmtune
 * reads are checked as Nova checks them: strict booleans, case-sensitive enums, integers with a
 * minimum, and the mask and page-size patterns. Keys in other namespaces ({@code resources:},
 * {@code trait:}, {@code aggregate_instance_extra_specs:}, ...) and keys without a namespace pass,
 * as in Nova. Keys are checked in sorted order so that the same flavor always reports the same
 * error first.
 */
public final class ExtraSpecs {

    /** Nova's exception for a value its API validators reject. */
    static final String VALIDATION_ERROR = "ValidationError";

    /** The {@code hw:} keys whose values Nova types and kvmtune reads or relies on, with their type. */
    private static final Map<String, Type> TYPED = Map.ofEntries(
            Map.entry("hw:cpu_realtime", Type.BOOLEAN),
            Map.entry("hw:cpu_realtime_mask", Type.MASK),
            Map.entry("hw:cpu_dedicated_mask", Type.MASK),
            Map.entry("hw:cpu_policy", Type.CPU_POLICY),
            Map.entry("hw:cpu_thread_policy", Type.CPU_THREAD_POLICY),
            Map.entry("hw:emulator_threads_policy", Type.EMULATOR_THREADS_POLICY),
            Map.entry("hw:locked_memory", Type.BOOLEAN),
            Map.entry("hw:mem_page_size", Type.PAGE_SIZE),
            Map.entry("hw:numa_nodes", Type.POSITIVE_INT),
            Map.entry("hw:hide_hypervisor_id", Type.BOOLEAN),
            Map.entry("hw:boot_menu", Type.BOOLEAN),
            Map.entry("hw:mem_encryption", Type.BOOLEAN),
            Map.entry("hw:pmu", Type.BOOLEAN),
            Map.entry("hw:vif_multiqueue_enabled", Type.BOOLEAN),
            Map.entry("hw:virtio_packed_ring", Type.BOOLEAN),
            Map.entry("hw:cpu_sockets", Type.POSITIVE_INT),
            Map.entry("hw:cpu_cores", Type.POSITIVE_INT),
            Map.entry("hw:cpu_threads", Type.POSITIVE_INT),
            Map.entry("hw:max_cpu_sockets", Type.POSITIVE_INT),
            Map.entry("hw:max_cpu_cores", Type.POSITIVE_INT),
            Map.entry("hw:max_cpu_threads", Type.POSITIVE_INT),
            Map.entry("hw:serial_port_count", Type.NON_NEGATIVE_INT));

    /**
     * The other {@code hw:} keys of Nova 2026.1. kvmtune does not read them; their values are
     * Nova's business, so they are accepted as written.
     */
    private static final Set<String> OTHER_KNOWN = Set.of(
            "hw:pci_numa_affinity_policy", "hw:pmem", "hw:tpm_model", "hw:tpm_version",
            "hw:tpm_secret_security", "hw:watchdog_action", "hw:viommu_model",
            "hw:mem_encryption_model", "hw:maxphysaddr_mode", "hw:maxphysaddr_bits",
            "hw:ephemeral_encryption", "hw:ephemeral_encryption_format", "hw:sound_model",
            "hw:usb_model", "hw:redirected_usb_ports");

    private enum Type {
        BOOLEAN, MASK, CPU_POLICY, CPU_THREAD_POLICY, EMULATOR_THREADS_POLICY, PAGE_SIZE,
        POSITIVE_INT, NON_NEGATIVE_INT
    }

    private final Map<String, String> specs;

    private ExtraSpecs(Map<String, String> specs) {
        this.specs = specs;
    }

    /**
     * Checks {@code specs} as Nova's flavor API does.
     *
     * @throws InvalidInputException naming the first bad key (in sorted order) and its value:
     *     {@code InvalidCPUAllocationPolicy}, {@code InvalidCPUThreadAllocationPolicy} and
     *     {@code InvalidEmulatorThreadsPolicy} for the policy enums, {@code ValidationError} for
     *     the rest
     */
    public static ExtraSpecs validate(Map<String, String> specs) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : specs.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new InvalidInputException(VALIDATION_ERROR, e.getKey(), e.getValue(),
                        "flavor extra spec " + e.getKey() + " has no " + (e.getKey() == null ? "key" : "value"));
            }
            sorted.put(e.getKey(), e.getValue());
        }
        sorted.forEach(ExtraSpecs::check);
        return new ExtraSpecs(Collections.unmodifiableSortedMap(sorted));
    }

    /** The value of {@code key}, if the flavor sets it. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(specs.get(key));
    }

    /** Every key and value in key order, for the rules that scan a family of keys ({@code resourcesN:PCPU}). */
    public Map<String, String> asMap() {
        return specs;
    }

    private static void check(String key, String value) {
        int colon = key.indexOf(':');
        if (colon < 0 || !key.substring(0, colon).equals("hw")) {
            return;
        }
        Type type = TYPED.get(key);
        if (type == null) {
            if (OTHER_KNOWN.contains(key) || isNumaNodeKey(key, "hw:numa_cpus.") || isNumaNodeKey(key, "hw:numa_mem.")) {
                return;
            }
            throw unknownKey(key, value);
        }
        switch (type) {
            case BOOLEAN -> NovaBoolean.parse(VALIDATION_ERROR, key, value);
            case MASK -> VcpuMask.checkApiPattern(key, value);
            case CPU_POLICY -> Policies.cpuPolicy(key, value);
            case CPU_THREAD_POLICY -> Policies.cpuThreadPolicy(key, value);
            case EMULATOR_THREADS_POLICY -> Policies.emulatorThreadsPolicy(key, value);
            case PAGE_SIZE -> checkPageSize(VALIDATION_ERROR, key, value);
            case POSITIVE_INT -> parseInt(VALIDATION_ERROR, key, value, 1);
            case NON_NEGATIVE_INT -> parseInt(VALIDATION_ERROR, key, value, 0);
        }
    }

    private static boolean isNumaNodeKey(String key, String prefix) {
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            return false;
        }
        for (int i = prefix.length(); i < key.length(); i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static InvalidInputException unknownKey(String key, String value) {
        // Nova's real-time guide spells the emulator key without the s; the code never read that.
        String hint = key.equals("hw:emulator_thread_policy") ? " (did you mean hw:emulator_threads_policy?)" : "";
        return new InvalidInputException(VALIDATION_ERROR, key, value,
                key + " is not an extra spec Nova knows in the hw: namespace" + hint);
    }

    /**
     * Nova's page-size pattern {@code large|small|any|\d+([kKMGT]i?)?(b|bit|B)?}: an alias or a
     * size such as {@code 2048} (KiB), {@code 2MB}, {@code 1GiB}.
     */
    static void checkPageSize(String code, String key, String value) {
        if (value.equals("large") || value.equals("small") || value.equals("any")) {
            return;
        }
        int i = 0;
        int n = value.length();
        while (i < n && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            i++;
        }
        boolean ok = i > 0;
        if (ok && i < n && "kKMGT".indexOf(value.charAt(i)) >= 0) {
            i++;
            if (i < n && value.charAt(i) == 'i') {
                i++;
            }
        }
        String unit = value.substring(i);
        ok = ok && (unit.isEmpty() || unit.equals("b") || unit.equals("bit") || unit.equals("B"));
        if (!ok) {
            throw new InvalidInputException(code, key, value, key + "=" + value
                    + " is not a page size: use large, small, any, or a size such as 2048 (KiB), 2MB or 1GiB");
        }
    }

    /** A decimal integer of ASCII digits at least {@code min}; a sign or blanks are refused. */
    static int parseInt(String code, String key, String value, int min) {
        long n = Decimal.parse(value, Integer.MAX_VALUE);
        if (n < min) {
            throw new InvalidInputException(code, key, value,
                    key + "=" + value + " is not an integer of at least " + min + " (ASCII digits only)");
        }
        return (int) n;
    }
}
