package io.kvmtune.core.cpumodel;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.spec.HostPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Nova's CPU model checks against this host: the name resolution of
 * {@code LibvirtDriver._get_cpu_model_mapping}, rule 4 of {@code _check_cpu_compatibility}
 * (nova-semantics.md §5) and the trait-based model choice of {@code _match_cpu_model_by_flags}.
 * Rules 1-3 (mode and model presence) belong to the nova.conf reader in {@code spec}.
 *
 * <p>Where Nova asks libvirt to compare a model with the host, kvmtune compares the model's
 * features from the cpu_map with the host's {@code /proc/cpuinfo} features, so on x86 only. On
 * ppc64 names are resolved but not compared; on other architectures (aarch64, s390x) names pass
 * through unchecked, as in Nova. An extra flag libvirt does not know is an {@code InvalidCPUInfo}
 * naming {@value #FLAGS_KEY}; Nova lets libvirt's "unknown feature" error surface instead.
 *
 * @param hostMachine the host architecture as {@code uname -m} prints it
 * @param map libvirt's map for the host architecture; needed on x86 and ppc
 * @param host the host CPU; needed to compare on x86
 */
public record NovaCpuModels(String hostMachine, Optional<CpuMap> map, Optional<HostCpu> host) {

    /** The nova.conf option errors about models name. */
    public static final String MODELS_KEY = "libvirt.cpu_models";
    /** The nova.conf option errors about extra flags name. */
    public static final String FLAGS_KEY = "libvirt.cpu_model_extra_flags";

    private static final String CODE = "InvalidCPUInfo";
    private static final Set<String> RESOLVING_MACHINES = Set.of("i686", "x86_64", "ppc", "ppc64", "ppc64le");

    /**
     * Reads what the checks need on this kind of host: the map under {@code mapRoot} for
     * {@code hostMachine}'s architecture (when it has one) and, on x86, {@code hostRoot/proc/cpuinfo}.
     */
    public static NovaCpuModels read(Path mapRoot, Path hostRoot, String hostMachine) {
        Optional<CpuMap> map = CpuMapReader.mapArch(hostMachine).filter(arch -> RESOLVING_MACHINES.contains(hostMachine))
                .map(arch -> CpuMapReader.read(mapRoot, arch));
        Optional<HostCpu> host = map.filter(m -> m.arch().equals("x86")).map(m -> HostCpuReader.read(hostRoot, m));
        return new NovaCpuModels(hostMachine, map, host);
    }

    /**
     * libvirt's spelling of a configured model name, matched ignoring case on x86 and ppc hosts;
     * the name itself elsewhere.
     *
     * @throws InvalidInputException {@code InvalidCPUInfo} naming {@value #MODELS_KEY} when the
     *     map has no such model
     */
    public String resolve(String configured) {
        if (!RESOLVING_MACHINES.contains(hostMachine)) {
            return configured;
        }
        return requireMap().modelIgnoringCase(configured).map(CpuModelDefinition::name)
                .orElseThrow(() -> new InvalidInputException(CODE, MODELS_KEY, configured, MODELS_KEY
                        + ": CPU model " + configured + " is not correct, or the host CPU architecture "
                        + hostMachine + " does not support it"));
    }

    /** {@code policy} with every configured model in libvirt's spelling (see {@link #resolve}). */
    public HostPolicy resolveNames(HostPolicy policy) {
        return withModels(policy, policy.cpuModels().stream().map(this::resolve).toList());
    }

    /**
     * Rule 4 of Nova's start-up check: each configured model, resolved, together with the extra
     * flags, must be runnable on this host. Flags with policy {@code disable} take their feature
     * out of the comparison, as libvirt's compare does. Returns {@code policy} with the resolved
     * model names.
     *
     * @throws InvalidInputException {@code InvalidCPUInfo} naming the model and what the host
     *     lacks, or naming an extra flag libvirt does not know
     */
    public HostPolicy checkCompatibility(HostPolicy policy) {
        HostPolicy resolved = resolveNames(policy);
        if (resolved.cpuModels().isEmpty() || map.isEmpty() || !map.get().arch().equals("x86")) {
            return resolved;
        }
        CpuMap m = map.get();
        HostCpu cpu = host.orElseThrow(() -> new MissingComponentException("CpuinfoMissing",
                "comparing " + MODELS_KEY + " with the host needs the host's /proc/cpuinfo"));
        TreeSet<String> required = new TreeSet<>();
        TreeSet<String> disabled = new TreeSet<>();
        for (CpuFeature flag : resolved.extraFlags()) {
            String feature = m.canonicalFeature(flag.name()).orElseThrow(() -> new InvalidInputException(CODE,
                    FLAGS_KEY, flag.name(), FLAGS_KEY + ": libvirt knows no CPU feature " + flag.name()));
            (flag.policy().equals("disable") ? disabled : required).add(feature);
        }
        for (String model : resolved.cpuModels()) {
            TreeSet<String> missing = new TreeSet<>(m.models().get(model).features());
            missing.addAll(required);
            missing.removeAll(disabled);
            missing.removeAll(cpu.features());
            if (!missing.isEmpty()) {
                List<String> flags = resolved.extraFlags().stream()
                        .map(f -> (f.policy().equals("disable") ? "-" : "+") + f.name()).toList();
                throw new InvalidInputException(CODE, MODELS_KEY, model, MODELS_KEY + ": CPU model " + model
                        + " with extra flags " + flags + " is not compatible with the host CPU, which lacks "
                        + missing);
            }
        }
        return resolved;
    }

    /**
     * The model a guest gets under {@code cpu_mode=custom}: the first of {@code models} unless the
     * flavor requires CPU traits ({@link CpuTraits}), then the first whose features include every
     * required one.
     *
     * @param models the configured models in libvirt's spelling, in configured order
     * @throws InvalidInputException {@code InvalidCPUInfo} ("No CPU model match traits") when none does
     */
    public String modelForFlavor(List<String> models, Map<String, String> flavorExtraSpecs) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("cpu_mode=custom always has at least one model");
        }
        Set<String> wanted = CpuTraits.requiredFeatures(flavorExtraSpecs);
        if (wanted.isEmpty()) {
            return models.getFirst();
        }
        for (String model : models) {
            Optional<CpuModelDefinition> def = map.flatMap(m -> Optional.ofNullable(m.models().get(model)));
            if (def.isPresent() && def.get().features().containsAll(wanted)) {
                return model;
            }
        }
        throw new InvalidInputException(CODE, MODELS_KEY, String.join(",", models), "No CPU model match traits, models: "
                + models + ", required flags: " + new ArrayList<>(new TreeSet<>(wanted)));
    }

    private CpuMap requireMap() {
        return map.orElseThrow(() -> new MissingComponentException("CpuMapMissing",
                "resolving " + MODELS_KEY + " on " + hostMachine + " needs libvirt's CPU map"));
    }

    private static HostPolicy withModels(HostPolicy p, List<String> models) {
        return new HostPolicy(p.dedicatedSet(), p.sharedSet(), p.virtType(), p.cpuMode(), models, p.extraFlags(),
                p.realtimePriority());
    }
}
