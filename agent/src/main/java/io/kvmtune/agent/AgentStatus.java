package io.kvmtune.agent;

import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code kvmtune agent status} shows: the guests the agent follows with their watched and
 * pending threads, the last drift it found, and its counters. An immutable snapshot that the
 * event thread publishes and the status socket hands out.
 *
 * @param pid the agent's own process id
 * @param startedEpochMillis when it started
 * @param driftMode {@code repair} or {@code report}
 * @param guests one entry per followed QEMU
 * @param lastDrift the last drift found, if any
 * @param counters events, tuned threads, drifts, repairs, failures, cleanups since it started
 */
public record AgentStatus(long pid, long startedEpochMillis, String driftMode, List<Guest> guests,
        Optional<Drift> lastDrift, Map<String, Long> counters) implements JsonWritable {

    public AgentStatus {
        guests = List.copyOf(guests);
        counters = Map.copyOf(counters);
    }

    /**
     * One followed QEMU.
     *
     * @param name guest name
     * @param pid QEMU process id
     * @param uuid domain UUID, empty for a QEMU not started by libvirt
     * @param planSource {@code prepare} or {@code record}
     * @param threads the watched threads
     * @param pending tids of named threads not tuned yet
     */
    public record Guest(String name, int pid, String uuid, String planSource, List<Thread> threads,
            List<Integer> pending) implements JsonWritable {

        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("pid", pid);
            m.put("uuid", uuid.isEmpty() ? null : uuid);
            m.put("plan_source", planSource);
            m.put("threads", threads);
            m.put("pending_tids", pending);
            return m;
        }
    }

    /** A watched thread with its planned settings. */
    public record Thread(int tid, String comm, String role, String pcpus, String policy) implements JsonWritable {

        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tid", tid);
            m.put("comm", comm);
            m.put("role", role);
            m.put("pcpus", pcpus);
            m.put("policy", policy);
            return m;
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent_pid", pid);
        m.put("started_epoch_ms", startedEpochMillis);
        m.put("drift_mode", driftMode);
        m.put("guests", guests);
        m.put("last_drift", lastDrift.orElse(null));
        m.put("counters", new java.util.TreeMap<>(counters));
        return m;
    }
}
