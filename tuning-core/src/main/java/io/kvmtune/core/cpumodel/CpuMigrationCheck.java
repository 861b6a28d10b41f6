package io.kvmtune.core.cpumodel;

import io.kvmtune.core.json.JsonWritable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Whether guests can live-migrate between two hosts, from the two hosts' {@link CpuModelReport}s:
 * the report of {@code kvmtune cpu-models --compare OTHER.json}.
 *
 * <p>A guest with a named model can move either way when both hosts can run the model. A
 * {@code host-model} guest carries every feature of its source host, so it can move when the
 * destination has all of them and none of them is one libvirt refuses to migrate. The baseline
 * is what to configure to migrate freely: the model libvirt would choose for a CPU with only the
 * features both hosts share, plus those shared features the model lacks.
 *
 * @param sameArch false when the hosts' architectures differ (then nothing can migrate)
 * @param runnableOnBoth models both hosts can run, in this host's map order
 * @param runnableOnlyHere models only this host can run
 * @param runnableOnlyThere models only the other host can run
 * @param hostModelToThere a {@code host-model} guest of this host moving to the other
 * @param hostModelToHere a {@code host-model} guest of the other host moving here
 * @param baseline the model and features to configure for guests that must run on both
 * @param featuresOnlyHere features this host has and the other lacks
 * @param featuresOnlyThere features the other host has and this one lacks
 */
public record CpuMigrationCheck(
        boolean sameArch,
        List<String> runnableOnBoth,
        List<String> runnableOnlyHere,
        List<String> runnableOnlyThere,
        Move hostModelToThere,
        Move hostModelToHere,
        Optional<HostModel> baseline,
        SortedSet<String> featuresOnlyHere,
        SortedSet<String> featuresOnlyThere) implements JsonWritable {

    /**
     * One direction of a {@code host-model} guest's migration.
     *
     * @param missing features of the source the destination lacks
     * @param blockers features of the source libvirt will not migrate ({@code invtsc})
     */
    public record Move(SortedSet<String> missing, SortedSet<String> blockers) implements JsonWritable {

        public Move {
            missing = Collections.unmodifiableSortedSet(new TreeSet<>(missing));
            blockers = Collections.unmodifiableSortedSet(new TreeSet<>(blockers));
        }

        /** True when nothing is missing and nothing blocks. */
        public boolean possible() {
            return missing.isEmpty() && blockers.isEmpty();
        }

        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("possible", possible());
            m.put("missing", missing);
            m.put("blockers", blockers);
            return m;
        }
    }

    public CpuMigrationCheck {
        runnableOnBoth = List.copyOf(runnableOnBoth);
        runnableOnlyHere = List.copyOf(runnableOnlyHere);
        runnableOnlyThere = List.copyOf(runnableOnlyThere);
        featuresOnlyHere = Collections.unmodifiableSortedSet(new TreeSet<>(featuresOnlyHere));
        featuresOnlyThere = Collections.unmodifiableSortedSet(new TreeSet<>(featuresOnlyThere));
    }

    /**
     * Compares this host's report with another's. {@code map} is this host's map; it decides the
     * baseline model and which features libvirt will not migrate. Models only one host's map
     * knows count as runnable on that host only. Pure.
     */
    public static CpuMigrationCheck of(CpuMap map, CpuModelReport here, CpuModelReport there) {
        boolean sameArch = here.arch().equals(there.arch());
        List<String> hereRunnable = here.runnableModels();
        List<String> thereRunnable = sameArch ? there.runnableModels() : List.of();
        List<String> both = hereRunnable.stream().filter(thereRunnable::contains).toList();
        SortedSet<String> hereFeatures = here.host().features();
        SortedSet<String> thereFeatures = there.host().features();
        TreeSet<String> shared = new TreeSet<>(hereFeatures);
        shared.retainAll(thereFeatures);
        Optional<String> sharedVendor = here.host().vendor().equals(there.host().vendor())
                ? here.host().vendor() : Optional.empty();
        HostCpu common = new HostCpu(sharedVendor, 0, 0, shared, new TreeSet<>());
        return new CpuMigrationCheck(
                sameArch,
                both,
                hereRunnable.stream().filter(m -> !both.contains(m)).toList(),
                thereRunnable.stream().filter(m -> !both.contains(m)).toList(),
                move(map, hereFeatures, thereFeatures, sameArch),
                move(map, thereFeatures, hereFeatures, sameArch),
                sameArch ? HostModel.decode(map, common) : Optional.empty(),
                minus(hereFeatures, thereFeatures),
                minus(thereFeatures, hereFeatures));
    }

    private static Move move(CpuMap map, SortedSet<String> from, SortedSet<String> to, boolean sameArch) {
        TreeSet<String> missing = sameArch ? minus(from, to) : new TreeSet<>(from);
        TreeSet<String> blockers = new TreeSet<>();
        for (String f : from) {
            CpuFeatureDefinition def = map.features().get(f);
            if (def != null && !def.migratable()) {
                blockers.add(f);
            }
        }
        return new Move(missing, blockers);
    }

    private static TreeSet<String> minus(SortedSet<String> a, SortedSet<String> b) {
        TreeSet<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("same_arch", sameArch);
        m.put("runnable_on_both", runnableOnBoth);
        m.put("runnable_only_here", runnableOnlyHere);
        m.put("runnable_only_there", runnableOnlyThere);
        m.put("host_model_to_there", hostModelToThere);
        m.put("host_model_to_here", hostModelToHere);
        m.put("baseline", baseline.orElse(null));
        m.put("features_only_here", featuresOnlyHere);
        m.put("features_only_there", featuresOnlyThere);
        return m;
    }
}
