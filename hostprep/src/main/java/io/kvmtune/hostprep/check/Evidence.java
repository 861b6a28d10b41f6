package io.kvmtune.hostprep.check;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a check read and where: a host file and the value found in it.
 *
 * @param path the host path ({@code /proc/cmdline})
 * @param value the value as read, or why it could not be
 */
public record Evidence(String path, String value) implements JsonWritable {

    public static Evidence of(Fact<?> fact) {
        return new Evidence(fact.path(), fact.describe());
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("value", value);
        return m;
    }

    @Override
    public String toString() {
        return path + " = " + value;
    }
}
