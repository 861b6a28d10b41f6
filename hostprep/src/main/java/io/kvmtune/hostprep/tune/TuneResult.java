package io.kvmtune.hostprep.tune;

import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code apply} or {@code restore} did, shaped for automation (an Ansible module reads
 * {@code changed}, {@code failed} and {@code msg}).
 *
 * @param changed true when at least one setting now differs from before the call
 * @param diff the settings changed, with before and after
 * @param failed true when a write failed; everything this call changed was then put back
 * @param msg one line for a person
 * @param skipped settings the kernel refused without it being an error (managed IRQs), with the reason
 * @param backup the backup file used
 */
public record TuneResult(boolean changed, List<TunableChange> diff, boolean failed, String msg,
        List<Skipped> skipped, String backup) implements JsonWritable {

    public TuneResult {
        diff = List.copyOf(diff);
        skipped = List.copyOf(skipped);
    }

    /** A setting left as it was, and why. */
    public record Skipped(String id, String path, String reason) implements JsonWritable {
        @Override
        public Object toJson() {
            return Map.of("id", id, "path", path, "reason", reason);
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", changed);
        m.put("failed", failed);
        m.put("msg", msg);
        m.put("diff", diff);
        m.put("skipped", skipped);
        m.put("backup", backup);
        return m;
    }
}
