package io.kvmtune.core.cpumodel;

import io.kvmtune.core.json.JsonWritable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The CPU model every host of a live-migration pool can run: the report of
 * {@code kvmtune cpu-models --baseline A.json B.json ...}, and what Nova's {@code [libvirt]}
 * section of every host of the pool should say.
 *
 * <p>The model is chosen the way libvirt's {@code cpu-baseline} chooses one for the features all
 * hosts share, except that kvmtune never picks a model with features disabled: Nova's
 * {@code cpu_models} must name a model every host can run as it stands. Among the models whose
 * every feature all hosts have (of the hosts' common vendor, or generic, when they share one; of
 * any vendor when they do not, as QEMU runs a model on any vendor's CPU that has its features),
 * and that libvirt uses to describe hosts (not {@code cpu64-rhel5}/{@code cpu64-rhel6}, RHEL's own
 * models, which upstream QEMU does not define and libvirt would pick for a pool that lacks
 * everything newer), one whose signature is the hosts' common family and model wins; then the one leaving the
 * fewest shared features to add; then the later in map order, as libvirt looks from the newest
 * model back. The shared features the model lacks are {@code cpu_model_extra_flags}, but for those
 * libvirt will not live-migrate ({@code invtsc}) and those QEMU never gives a guest through its
 * CPU definition ({@code osxsave}, {@code cmt}), which are reported apart, as libvirt's QEMU driver
 * leaves both out of {@code virsh cpu-baseline --migratable}.
 *
 * @param hosts the pool's host names, in the order given
 * @param vendor the vendor every host shares, or empty when they differ or one is unknown
 * @param model the chosen model, or empty when no named model runs on every host
 * @param extraFlags features every host has that the model lacks and libvirt migrates
 * @param notMigratable features every host has that libvirt refuses to live-migrate
 * @param notForGuests features every host has that QEMU never gives a guest through its CPU definition
 * @param runnableOnAll the models every host can run, in map order
 * @param blocked the models some host can run and others cannot, in map order
 */
public record CpuBaseline(
        List<String> hosts,
        Optional<String> vendor,
        Optional<String> model,
        SortedSet<String> extraFlags,
        SortedSet<String> notMigratable,
        SortedSet<String> notForGuests,
        List<String> runnableOnAll,
        List<BlockedModel> blocked) implements JsonWritable {

    /** Nova's {@code [libvirt] cpu_mode} for a pool with a common named model. */
    public static final String CPU_MODE = "custom";

    public CpuBaseline {
        hosts = List.copyOf(hosts);
        extraFlags = Collections.unmodifiableSortedSet(new TreeSet<>(extraFlags));
        notMigratable = Collections.unmodifiableSortedSet(new TreeSet<>(notMigratable));
        notForGuests = Collections.unmodifiableSortedSet(new TreeSet<>(notForGuests));
        runnableOnAll = List.copyOf(runnableOnAll);
        blocked = List.copyOf(blocked);
    }

    /**
     * The baseline of {@code hosts} (host name to its CPU, at least one) over the models of
     * {@code map}. Pure.
     */
    public static CpuBaseline of(CpuMap map, Map<String, HostCpu> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a baseline needs at least one host");
        }
        List<HostCpu> cpus = List.copyOf(hosts.values());
        TreeSet<String> shared = new TreeSet<>(cpus.getFirst().features());
        cpus.forEach(c -> shared.retainAll(c.features()));
        Optional<String> vendor = common(cpus.stream().map(HostCpu::vendor).toList()).flatMap(v -> v);
        Optional<Integer> family = common(cpus.stream().map(HostCpu::family).toList());
        Optional<Integer> modelNumber = common(cpus.stream().map(HostCpu::model).toList());

        List<String> runnableOnAll = new ArrayList<>();
        List<BlockedModel> blocked = new ArrayList<>();
        CpuModelDefinition best = null;
        boolean bestSignature = false;
        for (CpuModelDefinition candidate : map.models().values()) {
            if (shared.containsAll(candidate.features())) {
                runnableOnAll.add(candidate.name());
                boolean signature = family.isPresent() && modelNumber.isPresent()
                        && candidate.hasSignature(family.get(), modelNumber.get());
                // Later models win ties: the candidates come oldest first.
                if (candidate.decodeHost() && vendorFits(candidate, vendor) && (best == null || (signature && !bestSignature)
                        || (signature == bestSignature && candidate.features().size() >= best.features().size()))) {
                    best = candidate;
                    bestSignature = signature;
                }
            } else {
                blockers(candidate, hosts).ifPresent(blocked::add);
            }
        }
        TreeSet<String> notMigratable = new TreeSet<>();
        for (String f : shared) {
            CpuFeatureDefinition def = map.features().get(f);
            if (def != null && !def.migratable()) {
                notMigratable.add(f);
            }
        }
        TreeSet<String> notForGuests = new TreeSet<>(shared);
        notForGuests.retainAll(QemuGuestFeatures.NEVER_IN_A_GUEST_MODEL);
        TreeSet<String> extra = new TreeSet<>(shared);
        extra.removeAll(notMigratable);
        extra.removeAll(notForGuests);
        if (best != null) {
            extra.removeAll(best.features());
        }
        return new CpuBaseline(List.copyOf(hosts.keySet()), vendor, Optional.ofNullable(best).map(CpuModelDefinition::name),
                extra, notMigratable, notForGuests, runnableOnAll, blocked);
    }

    /** The model's blockers when at least one host can run it; a model no host runs is no candidate. */
    private static Optional<BlockedModel> blockers(CpuModelDefinition candidate, Map<String, HostCpu> hosts) {
        Map<String, SortedSet<String>> blockedBy = new LinkedHashMap<>();
        hosts.forEach((name, cpu) -> {
            TreeSet<String> missing = new TreeSet<>(candidate.features());
            missing.removeAll(cpu.features());
            if (!missing.isEmpty()) {
                blockedBy.put(name, missing);
            }
        });
        return blockedBy.size() < hosts.size()
                ? Optional.of(new BlockedModel(candidate.name(), candidate.vendor(), blockedBy))
                : Optional.empty();
    }

    private static boolean vendorFits(CpuModelDefinition candidate, Optional<String> vendor) {
        return vendor.isEmpty() || candidate.vendor().isEmpty() || candidate.vendor().equals(vendor);
    }

    /** The value every element has, or empty when they differ. */
    private static <T> Optional<T> common(List<T> values) {
        return values.stream().distinct().count() == 1 ? Optional.of(values.getFirst()) : Optional.empty();
    }

    /** The {@code [libvirt]} options of nova.conf for every host of the pool, or empty without a model. */
    public Optional<Map<String, String>> novaLibvirt() {
        return model.map(m -> {
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("cpu_mode", CPU_MODE);
            conf.put("cpu_models", m);
            conf.put("cpu_model_extra_flags", String.join(",", extraFlags));
            return conf;
        });
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hosts", hosts);
        m.put("vendor", vendor.orElse(null));
        m.put("cpu_mode", model.isPresent() ? CPU_MODE : null);
        m.put("cpu_model", model.orElse(null));
        m.put("cpu_model_extra_flags", extraFlags);
        m.put("not_migratable", notMigratable);
        m.put("not_for_guests", notForGuests);
        m.put("runnable_on_all", runnableOnAll);
        m.put("blocked", blocked);
        m.put("nova_conf", novaLibvirt().map(conf -> Map.of("libvirt", conf)).orElse(null));
        return m;
    }
}
