package io.kvmtune.cli;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.spec.HostConfigReader;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.RequestParser;
import io.kvmtune.core.spec.TuningRequest;
import io.kvmtune.core.topology.DeclaredTopology;
import io.kvmtune.core.topology.HostArch;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.SysfsTopologyReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The host side of planning, read once per command or hook call: the topology (sysfs or a
 * declared JSON file) and the host policy (nova.conf syntax, or built-in defaults).
 *
 * @param topology the host's CPUs, cores and NUMA nodes
 * @param policy the host's dedicated/shared sets, virt type, CPU mode and RT priority
 */
public record HostInputs(HostTopology topology, HostPolicy policy) {

    /**
     * @param config the host configuration file, if any (see {@code ConfigLocation})
     * @param declaredTopology a topology JSON file (CLI.md {@code --topology FILE.json}), else sysfs
     * @param fsRoot the directory holding {@code sys/} ({@code /} on a real host)
     */
    public static HostInputs read(Optional<Path> config, Optional<Path> declaredTopology, Path fsRoot) {
        HostTopology topology = declaredTopology.isPresent()
                ? DeclaredTopology.parse(readFile(declaredTopology.get()))
                : new SysfsTopologyReader(fsRoot).read(HostArch.current());
        HostPolicy policy = config
                .map(file -> HostConfigReader.parse(readFile(file), file.toString(), topology.online()))
                .orElse(HostPolicy.defaults());
        return new HostInputs(topology, policy);
    }

    /** Validates a guest's request with Nova's rules against this host. */
    public TuningRequest request(Map<String, String> flavorSpecs, Map<String, String> imageProps, int vcpus) {
        return RequestParser.parse(flavorSpecs, imageProps, vcpus, topology.arch(), policy.virtType());
    }

    /** Plans {@code request} around the pCPUs other guests hold. */
    public TuningPlan plan(TuningRequest request, CpuSet claimedByOthers) {
        return Planner.plan(request, policy, topology, claimedByOthers);
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
