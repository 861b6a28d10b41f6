package io.kvmtune.core.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thread's state before kvmtune touched it.
 *
 * @param identity the thread, so that a reused id is never restored
 * @param comm its name
 * @param role its role
 * @param state its affinity and scheduling
 */
public record ThreadSnapshot(ThreadIdentity identity, String comm, ThreadRole role, ThreadState state)
        implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tid", identity.tid());
        m.put("start_time", identity.startTime());
        m.put("comm", comm);
        m.put("role", role.label());
        m.put("affinity", state.affinity().format());
        m.put("sched", state.sched());
        return m;
    }

    public static ThreadSnapshot fromJson(JsonObject o) {
        return new ThreadSnapshot(new ThreadIdentity(o.intValue("tid"), o.integer("start_time")), o.string("comm"),
                RoleLabels.parse(o.string("role")),
                new ThreadState(CpuSet.parse(o.string("affinity")), SchedSettings.fromJson(o.object("sched"))));
    }
}
