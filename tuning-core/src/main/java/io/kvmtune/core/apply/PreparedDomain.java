package io.kvmtune.core.apply;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code prepare} hook decided for one domain start, kept until {@code release}: the plan
 * whose pCPUs it claimed, so that {@code started} and {@code reconnect} apply exactly that plan
 * (not a new one that the host configuration or other guests may have changed meanwhile), and,
 * once {@code started} has tuned it, the QEMU process whose apply record {@code stopped} restores.
 *
 * @param uuid the domain UUID
 * @param name the domain name, for people reading the file
 * @param plan the plan
 * @param qemu the QEMU process the plan was applied to, once it was
 */
public record PreparedDomain(String uuid, String name, TuningPlan plan, Optional<ThreadIdentity> qemu)
        implements JsonWritable {

    /** Bumped when the format changes incompatibly. */
    static final int FORMAT = 1;

    /** The same decision, now applied to {@code process}. */
    public PreparedDomain appliedTo(ThreadIdentity process) {
        return new PreparedDomain(uuid, name, plan, Optional.of(process));
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("uuid", uuid);
        m.put("name", name);
        m.put("plan", plan);
        m.put("qemu", qemu.map(p -> Map.of("pid", p.tid(), "start_time", p.startTime())).orElse(null));
        return m;
    }

    /** @throws InvalidInputException (key {@code prepared}) naming what is wrong with the file */
    public static PreparedDomain fromJson(String text, String source) {
        try {
            JsonObject o = Json.parseObject(text);
            if (o.intValue("format") != FORMAT) {
                throw new IllegalArgumentException("format " + o.intValue("format") + " is not " + FORMAT);
            }
            return new PreparedDomain(o.string("uuid"), o.string("name"),
                    TuningPlan.fromJson(o.object("plan")),
                    o.optObject("qemu").map(p -> new ThreadIdentity(p.intValue("pid"), p.integer("start_time"))));
        } catch (JsonException | IllegalArgumentException | InvalidInputException e) {
            throw InvalidInputException.invalid("prepared", source, source + " is not a valid prepared plan: "
                    + e.getMessage());
        }
    }
}
