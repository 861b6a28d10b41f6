package io.kvmtune.hostprep.tune;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.check.Partition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The runtime settings that differ from what the partition wants, in the order they are applied.
 * A value: printing it ({@code --check}) changes nothing.
 *
 * @param changes the settings to change, in application order (restore runs them backwards)
 * @param notes settings deliberately left alone, with the reason
 */
public record TunablePlan(Partition partition, List<TunableChange> changes, List<String> notes) implements JsonWritable {

    public TunablePlan {
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }

    /** The plan restricted to the changes {@code keep} accepts (an operator or a test picking settings). */
    public TunablePlan only(Predicate<TunableChange> keep) {
        return new TunablePlan(partition, changes.stream().filter(keep).toList(), notes);
    }

    /** The plan restricted to the given change ids. */
    public TunablePlan only(Set<String> ids) {
        return only(c -> ids.contains(c.id()));
    }

    /** Every host path the plan would write. */
    public List<String> paths() {
        return changes.stream().map(TunableChange::path).distinct().toList();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partition", partition);
        m.put("changed", !changes.isEmpty());
        m.put("diff", changes);
        m.put("notes", notes);
        return m;
    }
}
