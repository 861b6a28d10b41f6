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
 * What {@code apply} leaves under {@code /run/kvmtune} so that {@code verify} and {@code restore}
 * work from another process: the plan, the QEMU it was applied to, and the state before.
 *
 * @param process the QEMU process (pid and start time, so a reused pid is recognised)
 * @param plan the plan applied
 * @param qmpSocket the QMP socket used for discovery, if any
 * @param snapshot the state before kvmtune first applied to this process
 */
public record ApplyRecord(ThreadIdentity process, TuningPlan plan, Optional<String> qmpSocket, Snapshot snapshot)
        implements JsonWritable {

    /** Bumped when the format changes incompatibly; older files are then refused with a message. */
    static final int FORMAT = 1;

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("pid", process.tid());
        m.put("start_time", process.startTime());
        m.put("qmp_socket", qmpSocket.orElse(null));
        m.put("plan", plan);
        m.put("snapshot", snapshot);
        return m;
    }

    /**
     * @throws InvalidInputException (key {@code record}) naming what is wrong with the file
     */
    public static ApplyRecord fromJson(String text) {
        try {
            JsonObject o = Json.parseObject(text);
            if (o.intValue("format") != FORMAT) {
                throw new IllegalArgumentException("format " + o.intValue("format") + " is not " + FORMAT);
            }
            return new ApplyRecord(new ThreadIdentity(o.intValue("pid"), o.integer("start_time")),
                    TuningPlan.fromJson(o.object("plan")), o.optString("qmp_socket"),
                    Snapshot.fromJson(o.object("snapshot")));
        } catch (JsonException | IllegalArgumentException e) {
            throw InvalidInputException.invalid("record", null, "not a valid kvmtune apply record: " + e.getMessage());
        }
    }
}
