package io.kvmtune.cli;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.spec.HostPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's built-in realtime request for a 4-vCPU guest, fitted to this host's CPUs, with the
 * reason for each choice. Pure: the demo prints it before acting.
 *
 * <p>The lowest available CPU stays with the host (the shared set: emulator threads and the
 * non-realtime vCPUs); the rest is the dedicated set. With four or more dedicated CPUs the guest
 * is {@code dedicated} with vCPU 0 for housekeeping and vCPUs 1-3 realtime, as Nova's documentation
 * recommends; with fewer, it is {@code mixed} with one vCPU per dedicated CPU, pinned and realtime,
 * and vCPU 0 floating on the host's CPU (Nova fits a node's floating vCPUs only onto as many shared
 * CPUs); on a single CPU nothing can be dedicated, and all four vCPUs float.
 *
 * @param vcpus the guest's vCPU count
 * @param policy the host policy the demo plans with (instead of the host's configuration)
 * @param flavorSpecs the request
 * @param why one sentence on why the request is shaped so on this host
 */
record DemoSetup(int vcpus, HostPolicy policy, Map<String, String> flavorSpecs, String why) implements JsonWritable {

    static final int VCPUS = 4;

    /**
     * @param online the host's online CPUs
     * @param claimed pCPUs real guests hold, which the demo leaves alone
     */
    static DemoSetup fit(CpuSet online, CpuSet claimed) {
        int housekeeping = online.first();
        CpuSet dedicated = online.minus(claimed).without(housekeeping);
        CpuSet shared = CpuSet.of(housekeeping);
        int n = Math.min(dedicated.size(), VCPUS);
        Map<String, String> specs = new LinkedHashMap<>();
        String why;
        if (n == 0) {
            specs.put("hw:cpu_policy", "shared");
            why = online.size() == 1
                    ? "this host has a single CPU, so no vCPU can have a CPU of its own: all " + VCPUS
                            + " vCPUs float on CPU " + housekeeping + " and none is realtime"
                    : "every CPU but " + housekeeping + " is claimed by running guests, so all " + VCPUS
                            + " vCPUs float on CPU " + housekeeping + " and none is realtime";
            return new DemoSetup(VCPUS, policy(Optional.empty(), shared), specs, why);
        }
        dedicated = CpuSet.of(dedicated.stream().limit(n).toArray());
        specs.put("hw:cpu_policy", n == VCPUS ? "dedicated" : "mixed");
        specs.put("hw:cpu_realtime", "yes");
        specs.put("hw:cpu_realtime_mask", "^0");
        int vcpus = n == VCPUS ? VCPUS : n + 1;
        if (n == VCPUS) {
            why = "CPU " + housekeeping + " stays with the host; " + dedicated.format() + " give each vCPU a CPU of its"
                    + " own, vCPU 0 does the guest's housekeeping beside the emulator threads and vCPUs 1-3 run SCHED_FIFO";
        } else {
            why = "CPU " + housekeeping + " stays with the host, which leaves " + n + " CPU" + (n > 1 ? "s" : "")
                    + " (" + dedicated.format() + ") for realtime vCPUs: the guest gets " + vcpus + " vCPUs, vCPU"
                    + (n > 1 ? "s 1-" + n + " are" : " 1 is") + " pinned and SCHED_FIFO (hw:cpu_policy=mixed), vCPU 0"
                    + " floats on CPU " + housekeeping + " with the emulator threads";
        }
        return new DemoSetup(vcpus, policy(Optional.of(dedicated), shared), specs, why);
    }

    private static HostPolicy policy(Optional<CpuSet> dedicated, CpuSet shared) {
        HostPolicy defaults = HostPolicy.defaults();
        return new HostPolicy(dedicated, Optional.of(shared), defaults.virtType(), defaults.cpuMode(), List.of(),
                List.of(), defaults.realtimePriority());
    }

    /** Whether the plan makes vCPUs realtime, which asks QEMU to lock the guest's memory. */
    boolean realtime() {
        return "yes".equals(flavorSpecs.get("hw:cpu_realtime"));
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpus", vcpus);
        m.put("cpu_shared_set", policy.sharedSet().map(CpuSet::format).orElse(null));
        m.put("cpu_dedicated_set", policy.dedicatedSet().map(CpuSet::format).orElse(null));
        m.put("flavor_specs", flavorSpecs);
        m.put("why", why);
        return m;
    }
}
