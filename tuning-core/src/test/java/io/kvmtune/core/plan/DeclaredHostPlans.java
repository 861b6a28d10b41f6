package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.HostConfigReader;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.RequestParser;
import io.kvmtune.core.topology.DeclaredTopology;
import io.kvmtune.core.topology.HostTopology;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** Plans written as a Nova case is: a declared topology, nova.conf lines, and the flavor's extra specs. */
public final class DeclaredHostPlans {

    private DeclaredHostPlans() {
    }

    /**
     * Plans {@code vcpus} (and {@code memoryMb}, if given) with the flavor's {@code KEY=VALUE}
     * extra specs and the image's properties on the declared host, around {@code claimed}.
     */
    public static TuningPlan plan(String topology, String novaConf, CpuSet claimed, int vcpus, OptionalLong memoryMb,
            Map<String, String> image, String... flavor) {
        HostTopology host = DeclaredTopology.parse(topology);
        HostPolicy policy = HostConfigReader.parse(novaConf, "nova.conf", host.online());
        return Planner.plan(RequestParser.parse(specs(flavor), image, vcpus, memoryMb, "x86_64", "kvm"), policy, host,
                claimed);
    }

    /** {@code KEY=VALUE} pairs, split at the first {@code =}, in order. */
    public static Map<String, String> specs(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            m.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return m;
    }
}
