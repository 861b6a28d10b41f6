package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restore, or the rollback of a failed apply, put back: every saved value with its outcome.
 *
 * @param items one per saved value, in the order restored
 */
public record RestoreReport(List<RestoreItem> items) implements JsonWritable {

    public RestoreReport {
        items = List.copyOf(items);
    }

    /** This report followed by {@code more}. */
    public RestoreReport with(List<RestoreItem> more) {
        List<RestoreItem> all = new java.util.ArrayList<>(items);
        all.addAll(more);
        return new RestoreReport(all);
    }

    /** The values that could not be put back although their thread or group still exists. */
    public List<RestoreItem> failures() {
        return items.stream().filter(i -> i.outcome() == RestoreItem.Outcome.FAILED).toList();
    }

    /** Whether everything that still exists is as it was saved. */
    public boolean complete() {
        return failures().isEmpty();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("complete", complete());
        m.put("items", items);
        return m;
    }
}
