package io.kvmtune.cli;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.cpumodel.CpuMapReader;
import io.kvmtune.core.cpumodel.CpuModelCheck;
import io.kvmtune.core.cpumodel.DeclaredHostCpu;
import io.kvmtune.core.cpumodel.HostCpuView;
import io.kvmtune.core.cpumodel.KvmOfferedCpu;
import io.kvmtune.core.cpumodel.NovaCpuModels;
import io.kvmtune.core.plan.HostCpuModels;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.spec.CpuMode;
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
import java.util.OptionalLong;

/**
 * The host side of planning, read once per command or hook call: the topology (sysfs or a
 * declared JSON file) and the host policy (nova.conf syntax, or built-in defaults).
 *
 * @param topology the host's CPUs, cores and NUMA nodes
 * @param policy the host's dedicated/shared sets, virt type, CPU mode and RT priority, with
 *     {@code cpu_models} in libvirt's spelling
 * @param cpuModels Nova's CPU-model choice for flavors requiring traits, and what was checked
 */
public record HostInputs(HostTopology topology, HostPolicy policy, HostCpuModels cpuModels) {

    /**
     * @param config the host configuration file, if any (see {@code ConfigLocation})
     * @param declaredTopology a topology JSON file (CLI.md {@code --topology FILE.json}), else sysfs
     * @param fsRoot the directory holding {@code sys/} ({@code /} on a real host)
     */
    public static HostInputs read(Optional<Path> config, Optional<Path> declaredTopology, Path fsRoot) {
        return read(config, declaredTopology, fsRoot, Optional.empty());
    }

    /**
     * As {@link #read(Optional, Optional, Path)}, with KVM's CPUID offer kept for the boot in
     * {@code kvmCpuidCache} ({@code KvmCpuidCache}): the libvirt hook's way, which runs at every
     * guest start.
     */
    public static HostInputs read(Optional<Path> config, Optional<Path> declaredTopology, Path fsRoot,
            Optional<Path> kvmCpuidCache) {
        Optional<String> declared = declaredTopology.map(HostInputs::readFile);
        HostTopology topology = declared.isPresent()
                ? DeclaredTopology.parse(declared.get())
                : new SysfsTopologyReader(fsRoot).read(HostArch.current());
        HostPolicy policy = config
                .map(file -> HostConfigReader.parse(readFile(file), file.toString(), topology.online()))
                .orElse(HostPolicy.defaults());
        if (policy.cpuMode().orElse(null) != CpuMode.CUSTOM) {
            return new HostInputs(topology, policy, HostCpuModels.unchecked());
        }
        // Nova's start-up rules for cpu_models, once per run: libvirt's map, and the CPU of the host
        // being planned for (this one, or the one a declared topology describes, if it does).
        NovaCpuModels models = declared.isPresent()
                ? NovaCpuModels.read(CpuMapReader.DEFAULT_ROOT, topology.arch(), Optional.of(policy.cpuModels()),
                        map -> DeclaredHostCpu.parse(declared.get(), map)
                                .map(cpu -> new HostCpuView(cpu, "declared in " + declaredTopology.get())),
                        "declared in " + declaredTopology.get())
                : NovaCpuModels.read(CpuMapReader.DEFAULT_ROOT, topology.arch(), Optional.of(policy.cpuModels()),
                        map -> Optional.of(KvmOfferedCpu.guestView(fsRoot, map, kvmCpuidCache)), "this host");
        CpuModelCheck checked = models.check(policy);
        return new HostInputs(topology, checked.policy(), checked.models());
    }

    /**
     * Validates a guest's request with Nova's rules against this host.
     *
     * @param memoryMb the guest's memory in MiB, if known (a page size request needs it)
     */
    public TuningRequest request(Map<String, String> flavorSpecs, Map<String, String> imageProps, int vcpus,
            OptionalLong memoryMb) {
        return RequestParser.parse(flavorSpecs, imageProps, vcpus, memoryMb, topology.arch(), policy.virtType());
    }

    /** Plans {@code request} around the pCPUs other guests hold. */
    public TuningPlan plan(TuningRequest request, CpuSet claimedByOthers) {
        return Planner.forHost(policy, topology, cpuModels).plan(request, claimedByOthers);
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
