package io.kvmtune.core.cpumodel;

import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * libvirt's named CPU models of this host's architecture, each with whether the host can run it
 * and what it lacks, and the host-model equivalent: the report of {@code kvmtune cpu-models}.
 *
 * <p>Its JSON form is embedded in hostprep's inventory under {@link #INVENTORY_KEY}, so that
 * {@code kvmtune cpu-models --compare OTHER.json} can read another host's report back
 * ({@link #fromInventory}) and {@link CpuMigrationCheck} can compare the two.
 *
 * @param arch the cpu_map architecture ({@code x86})
 * @param host the host CPU the verdicts were computed for
 * @param hostModel what {@code host-model} starts from, or empty when no model fits
 * @param models one verdict per model, in map order
 */
public record CpuModelReport(String arch, HostCpu host, Optional<HostModel> hostModel, List<ModelVerdict> models)
        implements JsonWritable {

    /** The member of hostprep's inventory JSON that holds this report. */
    public static final String INVENTORY_KEY = "cpu_models";

    public CpuModelReport {
        models = List.copyOf(models);
    }

    /** Checks every model of {@code map} against {@code host}. Pure. */
    public static CpuModelReport of(CpuMap map, HostCpu host) {
        List<ModelVerdict> verdicts = map.models().values().stream().map(m -> {
            TreeSet<String> missing = new TreeSet<>(m.features());
            missing.removeAll(host.features());
            return new ModelVerdict(m.name(), m.vendor(), missing);
        }).toList();
        return new CpuModelReport(map.arch(), host, HostModel.decode(map, host), verdicts);
    }

    /** The names of the models the host can run, in map order. */
    public List<String> runnableModels() {
        return models.stream().filter(ModelVerdict::runnable).map(ModelVerdict::name).toList();
    }

    /** The verdict for the model named exactly {@code name}. */
    public Optional<ModelVerdict> verdict(String name) {
        return models.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    @Override
    public Object toJson() {
        Map<String, Object> hostJson = new LinkedHashMap<>();
        hostJson.put("vendor", host.vendor().orElse(null));
        hostJson.put("family", host.family());
        hostJson.put("model", host.model());
        hostJson.put("features", host.features());
        hostJson.put("unmapped_flags", host.unmappedFlags());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", arch);
        m.put("host", hostJson);
        m.put("host_model", hostModel.orElse(null));
        m.put("models", models);
        return m;
    }

    /** Reads the form {@link #toJson} writes. */
    public static CpuModelReport fromJson(JsonObject o) {
        JsonObject h = o.object("host");
        HostCpu host = new HostCpu(h.optString("vendor"), h.intValue("family"), h.intValue("model"),
                JsonSets.strings(h, "features"), JsonSets.strings(h, "unmapped_flags"));
        return new CpuModelReport(o.string("arch"), host, o.optObject("host_model").map(HostModel::fromJson),
                o.objects("models").stream().map(ModelVerdict::fromJson).toList());
    }

    /**
     * Reads a report from either a report document or a hostprep inventory that holds one under
     * {@link #INVENTORY_KEY}.
     *
     * @throws JsonException also when the inventory's section says why the host had no report
     *     ({@code {"unavailable": REASON, ...}}, such as no libvirt CPU map); the message carries the reason
     */
    public static CpuModelReport fromInventory(JsonObject document) {
        if (document.has("models")) {
            return fromJson(document);
        }
        if (document.has(INVENTORY_KEY)) {
            JsonObject section = document.object(INVENTORY_KEY);
            if (!section.has("models") && section.has("unavailable")) {
                throw new JsonException("the inventory has no CPU model report (\"" + INVENTORY_KEY + "\" is unavailable: "
                        + section.string("unavailable") + ")", -1);
            }
            return fromJson(section);
        }
        throw new JsonException(document.path() + " is neither a CPU model report nor an inventory with \""
                + INVENTORY_KEY + "\"", -1);
    }
}
