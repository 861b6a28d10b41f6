package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What restoring one saved value did.
 *
 * @param what the thread attribute or file ({@code vcpu1 tid 4242 affinity}, a cgroup file)
 * @param outcome what happened
 * @param detail the value put back, or why it could not be
 */
public record RestoreItem(String what, Outcome outcome, String detail) implements JsonWritable {

    /** What happened to one saved value. */
    public enum Outcome {
        /** The saved value was written back. */
        RESTORED,
        /** The value was already the saved one. */
        UNCHANGED,
        /** The thread or group no longer exists: nothing to restore. */
        GONE,
        /** Writing the saved value back failed; {@code detail} says why. */
        FAILED
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
        m.put("detail", detail);
        return m;
    }

    @Override
    public String toString() {
        return what + ": " + outcome.name().toLowerCase(java.util.Locale.ROOT) + " (" + detail + ")";
    }
}
