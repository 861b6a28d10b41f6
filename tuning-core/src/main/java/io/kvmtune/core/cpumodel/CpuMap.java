package io.kvmtune.core.cpumodel;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * libvirt's CPU vendors, features and named models for one architecture, as its {@code cpu_map}
 * defines them ({@link CpuMapReader} reads it).
 * Immutable.
 */
public final class CpuMap {

    private final String arch;
    private final Map<String, String> vendors;
    private final Map<String, CpuFeatureDefinition> features;
    private final Map<String, CpuModelDefinition> models;
    private final Map<String, String> featureByAlias = new HashMap<>();

    /**
     * @param arch the map's architecture name: {@code x86}, {@code ppc64} or {@code arm}
     * @param vendors vendor name to the identifying string ({@code AMD} → {@code AuthenticAMD}; the
     *     implementer id on arm; empty when the map gives none)
     * @param features feature definitions by canonical name, in map order
     * @param models model definitions by name, in map order (oldest first within each family)
     */
    public CpuMap(String arch, Map<String, String> vendors, Map<String, CpuFeatureDefinition> features,
            Map<String, CpuModelDefinition> models) {
        this.arch = arch;
        this.vendors = Collections.unmodifiableMap(new LinkedHashMap<>(vendors));
        this.features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        for (CpuFeatureDefinition f : features.values()) {
            for (String alias : f.aliases()) {
                featureByAlias.put(alias, f.name());
            }
        }
    }

    /** The map's architecture name: {@code x86}, {@code ppc64} or {@code arm}. */
    public String arch() {
        return arch;
    }

    /** Vendor name to its identifying string ({@code AMD} → {@code AuthenticAMD}), in map order. */
    public Map<String, String> vendors() {
        return vendors;
    }

    /** Feature definitions by canonical name, in map order. */
    public Map<String, CpuFeatureDefinition> features() {
        return features;
    }

    /** Model definitions by name, in map order. */
    public Map<String, CpuModelDefinition> models() {
        return models;
    }

    /** The models in map order. */
    public List<CpuModelDefinition> modelList() {
        return List.copyOf(models.values());
    }

    /**
     * libvirt's canonical name of a feature given by its name or one of its aliases
     * ({@code sse4_1} → {@code sse4.1}), or empty when the map does not know it.
     */
    public Optional<String> canonicalFeature(String nameOrAlias) {
        if (features.containsKey(nameOrAlias)) {
            return Optional.of(nameOrAlias);
        }
        return Optional.ofNullable(featureByAlias.get(nameOrAlias));
    }

    /**
     * The model whose name equals {@code name} ignoring case, as Nova's
     * {@code _get_cpu_model_mapping} matches it ({@code PENRYN} → {@code Penryn}).
     */
    public Optional<CpuModelDefinition> modelIgnoringCase(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return models.values().stream().filter(m -> m.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    /** The vendor name whose identifying string is {@code vendorString} ({@code GenuineIntel} → {@code Intel}). */
    public Optional<String> vendorNamed(String vendorString) {
        return vendors.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty() && e.getValue().equals(vendorString))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
