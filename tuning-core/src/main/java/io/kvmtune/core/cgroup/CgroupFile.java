package io.kvmtune.core.cgroup;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One control file of a cgroup, such as {@code cpuset.cpus} or {@code cpu.rt_runtime_us}.
 *
 * @param group the group it belongs to
 * @param name the file name
 */
public record CgroupFile(CgroupGroup group, String name) implements JsonWritable {

    public CgroupFile {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("not a cgroup file name: '" + name + "'");
        }
    }

    /** Relative to the cgroup root: {@code cpuset/machine/qemu-1-x.libvirt-qemu/vcpu0/cpuset.cpus}. */
    @Override
    public String toString() {
        String dir = group.toString();
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hierarchy", group.hierarchy());
        m.put("path", group.path());
        m.put("v2", group.v2());
        m.put("file", name);
        return m;
    }

    public static CgroupFile fromJson(JsonObject o) {
        return new CgroupGroup(o.string("hierarchy"), o.string("path"), o.bool("v2")).file(o.string("file"));
    }
}
