package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One piece of state left by a QEMU that has exited, and what the cleanup did with it: one log
 * line each.
 *
 * @param subject what was left ({@code apply record of QEMU pid 4242}, {@code claim of domain web1})
 * @param action what was done, or why it could not be
 * @param complete false when something that still exists could not be put back (the state stays
 *     for a later cleanup or {@code kvmtune restore})
 */
public record StaleCleanup(String subject, String action, boolean complete) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", subject);
        m.put("action", action);
        m.put("complete", complete);
        return m;
    }

    @Override
    public String toString() {
        return subject + ": " + action;
    }
}
