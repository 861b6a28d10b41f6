package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupFile;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cgroup control file's value before kvmtune wrote it.
 *
 * @param file the file
 * @param value its content, without the trailing newline
 */
public record FileSnapshot(CgroupFile file, String value) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("value", value);
        return m;
    }

    public static FileSnapshot fromJson(JsonObject o) {
        return new FileSnapshot(CgroupFile.fromJson(o.object("file")), o.string("value"));
    }
}
