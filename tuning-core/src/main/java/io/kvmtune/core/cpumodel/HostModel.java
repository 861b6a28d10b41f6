package io.kvmtune.core.cpumodel;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What libvirt's {@code host-model} starts a guest with on this host: the named model closest to
 * the host CPU, plus the host features that model lacks.
 *
 * <p>The model is chosen as libvirt decodes a host CPU: among the models it may use for a host
 * ({@code decode host='on'}), whose vendor is the host's (or none), and which need nothing the
 * host lacks, one whose signature matches the host's family and model wins over one whose does
 * not; then the one needing the fewest extra features; then the earlier in map order.
 *
 * @param model the model's name
 * @param vendor the host's vendor, if known
 * @param features host features the model lacks, required on top of it (so model and features
 *     together are exactly the host's features)
 * @param nonMigratable features of the result libvirt will not live-migrate ({@code invtsc})
 */
public record HostModel(String model, Optional<String> vendor, SortedSet<String> features,
        SortedSet<String> nonMigratable) implements JsonWritable {

    public HostModel {
        features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
        nonMigratable = Collections.unmodifiableSortedSet(new TreeSet<>(nonMigratable));
    }

    /** The host-model equivalent of {@code host}, or empty when no model fits. */
    public static Optional<HostModel> decode(CpuMap map, HostCpu host) {
        CpuModelDefinition best = null;
        boolean bestSignature = false;
        int bestExtra = Integer.MAX_VALUE;
        for (CpuModelDefinition candidate : map.models().values()) {
            if (!candidate.decodeHost() || !vendorFits(candidate, host) || !host.features().containsAll(candidate.features())) {
                continue;
            }
            boolean signature = candidate.hasSignature(host.family(), host.model());
            int extra = host.features().size() - candidate.features().size();
            if (best == null || (signature && !bestSignature) || (signature == bestSignature && extra < bestExtra)) {
                best = candidate;
                bestSignature = signature;
                bestExtra = extra;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        TreeSet<String> extras = new TreeSet<>(host.features());
        extras.removeAll(best.features());
        TreeSet<String> nonMigratable = new TreeSet<>();
        for (String f : host.features()) {
            CpuFeatureDefinition def = map.features().get(f);
            if (def != null && !def.migratable()) {
                nonMigratable.add(f);
            }
        }
        return Optional.of(new HostModel(best.name(), host.vendor(), extras, nonMigratable));
    }

    private static boolean vendorFits(CpuModelDefinition candidate, HostCpu host) {
        return candidate.vendor().isEmpty() || candidate.vendor().equals(host.vendor());
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("vendor", vendor.orElse(null));
        m.put("features", features);
        m.put("non_migratable", nonMigratable);
        return m;
    }

    public static HostModel fromJson(JsonObject o) {
        return new HostModel(o.string("model"), o.optString("vendor"), JsonSets.strings(o, "features"),
                JsonSets.strings(o, "non_migratable"));
    }
}
