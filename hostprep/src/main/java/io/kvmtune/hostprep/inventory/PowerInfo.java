package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Frequency scaling and idle states: what can stretch a wake-up on a dedicated CPU.
 *
 * @param cpufreqDriver {@code cpu0/cpufreq/scaling_driver}; absent when there is no cpufreq (many VMs)
 * @param governors each CPU's {@code scaling_governor}
 * @param idleDriver {@code cpuidle/current_driver}
 * @param idleGovernor {@code cpuidle/current_governor_ro} (or {@code current_governor})
 * @param idleStates the idle states with where they are enabled
 * @param pmQosLatencyUs the system-wide PM QoS CPU latency limit ({@code /dev/cpu_dma_latency})
 */
public record PowerInfo(Fact<String> cpufreqDriver, Map<Integer, String> governors, Fact<String> idleDriver,
        Fact<String> idleGovernor, List<IdleState> idleStates, Fact<Integer> pmQosLatencyUs) implements JsonWritable {

    public PowerInfo {
        governors = Map.copyOf(governors);
        idleStates = List.copyOf(idleStates);
    }

    /**
     * One cpuidle state.
     *
     * @param index K of {@code stateK}
     * @param latencyUs its exit latency
     * @param enabledOn CPUs where its {@code disable} is 0
     */
    public record IdleState(int index, String name, long latencyUs, CpuSet enabledOn) implements JsonWritable {
        @Override
        public Object toJson() {
            return Map.of("state", index, "name", name, "latency_us", latencyUs, "enabled_on", enabledOn.format());
        }
    }

    /** Governor name to the CPUs using it. */
    public Map<String, CpuSet> governorCpus() {
        Map<String, CpuSet> by = new TreeMap<>();
        governors.forEach((cpu, g) -> by.merge(g, CpuSet.of(cpu), CpuSet::union));
        return by;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpufreq_driver", cpufreqDriver);
        Map<String, String> g = new TreeMap<>();
        governorCpus().forEach((name, cpus) -> g.put(name, cpus.format()));
        m.put("governors", g);
        m.put("cpuidle_driver", idleDriver);
        m.put("cpuidle_governor", idleGovernor);
        m.put("cpuidle_states", idleStates);
        m.put("pm_qos_cpu_latency_us", pmQosLatencyUs);
        return m;
    }
}
