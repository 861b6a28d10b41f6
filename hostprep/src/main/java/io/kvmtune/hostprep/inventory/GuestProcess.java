package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.TaskInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running QEMU and where its threads may run.
 *
 * @param pid the QEMU process
 * @param name the guest name ({@code -name guest=NAME}) or the process name
 * @param threads its threads with the cpuset they are confined to
 */
public record GuestProcess(int pid, String name, List<GuestThread> threads) implements JsonWritable {

    private static final Pattern VCPU_COMM = Pattern.compile("^CPU (\\d+)/KVM$");

    public GuestProcess {
        threads = List.copyOf(threads);
    }

    /**
     * One QEMU thread.
     *
     * @param cgroup its cpuset cgroup path (below the cpuset hierarchy)
     * @param cpuset the effective CPUs of that cgroup
     */
    public record GuestThread(TaskInfo task, String cgroup, Fact<CpuSet> cpuset) implements JsonWritable {

        /** The vCPU index when this is a vCPU thread ({@code CPU n/KVM}), else -1. */
        public int vcpu() {
            Matcher m = VCPU_COMM.matcher(task.comm());
            return m.matches() ? Integer.parseInt(m.group(1)) : -1;
        }

        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tid", task.tid());
            m.put("comm", task.comm());
            m.put("role", vcpu() >= 0 ? "vcpu" + vcpu() : "emulator");
            m.put("affinity", task.allowed().format());
            m.put("last_cpu", task.lastCpu());
            m.put("policy", task.policyLabel());
            m.put("priority", task.rtPriority());
            m.put("cgroup", cgroup);
            m.put("cpuset", cpuset);
            return m;
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("name", name);
        m.put("threads", threads);
        return m;
    }
}
