package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.qemu.QemuThread;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One line of {@code kvmtune show}: a QEMU thread as the kernel has it now, like tuna's table.
 *
 * @param thread the thread
 * @param state its affinity and scheduling, empty when it has exited
 * @param cpusetGroup its cpuset cgroup, relative to the cgroup root, if it has one
 * @param realtime the realtime runtime of its own libvirt {@code cpu} group (vCPUs, on hosts with RT
 *     group scheduling), if any
 */
public record ThreadRow(QemuThread thread, Optional<ThreadState> state, Optional<String> cpusetGroup,
        Optional<RtGrant> realtime) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tid", thread.tid());
        m.put("comm", thread.comm());
        m.put("role", thread.role().label());
        m.put("policy", state.map(s -> s.sched().policy().label()).orElse(null));
        m.put("priority", state.map(s -> s.sched().priority()).orElse(null));
        m.put("affinity", state.map(s -> s.affinity().format()).orElse(null));
        m.put("cgroup", cpusetGroup.orElse(null));
        m.put("gone", state.isEmpty());
        m.put("rt_runtime_us", realtime.map(RtGrant::runtimeUs).orElse(null));
        m.put("rt_period_us", realtime.map(RtGrant::periodUs).orElse(null));
        return m;
    }
}
