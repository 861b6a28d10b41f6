package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupFile;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an apply did to one cgroup control file.
 *
 * @param file the file
 * @param before its value before
 * @param after its value afterwards (read back; predicted for a dry run)
 */
public record FileChange(CgroupFile file, String before, String after) implements JsonWritable {

    public boolean changed() {
        return !before.equals(after);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("before", before);
        m.put("after", after);
        m.put("changed", changed());
        return m;
    }
}
