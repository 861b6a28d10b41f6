package io.kvmtune.core.cpumodel;

import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Feature and model name lists in this package's JSON forms. */
final class JsonSets {

    private JsonSets() {
    }

    /** The array member {@code name} of strings, as a sorted set. */
    static SortedSet<String> strings(JsonObject o, String name) {
        List<Object> items = o.array(name);
        TreeSet<String> out = new TreeSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String s)) {
                throw new JsonException(o.path() + "." + name + "[" + i + "] must be a string", -1);
            }
            out.add(s);
        }
        return out;
    }
}
