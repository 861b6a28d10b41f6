package io.kvmtune.core.cpumodel;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.plan.HostCpuModels;
import io.kvmtune.core.plan.Reason;
import io.kvmtune.core.spec.HostPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Nova's CPU model checks against the host being planned for: the name resolution of
 * {@code LibvirtDriver._get_cpu_model_mapping}, rule 4 of {@code _check_cpu_compatibility}
 * (nova-semantics.md §5) and the trait-based model choice of {@code _match_cpu_model_by_flags}.
 * Rules 1-3 (mode and model presence) belong to the nova.conf reader in {@code spec}.
 * As in Nova, models are compared with the host only for {@code virt_type=kvm}: under
 * {@code qemu} the guest CPU is emulated whole, and names are only resolved.
 *
 * <p>Where Nova asks libvirt to compare a model with the host, kvmtune compares the model's
 * features from the cpu_map with the host CPU's features, so on x86 only. On ppc64 names are
 * resolved but not compared; on other architectures (aarch64, s390x) names pass through
 * unchecked, as in Nova. An extra flag libvirt does not know is an {@code InvalidCPUInfo} naming
 * {@value #FLAGS_KEY}; Nova lets libvirt's "unknown feature" error surface at start-up instead.
 * Without libvirt's map the names are matched against QEMU's own list and nothing is compared;
 * without a known host CPU (a declared topology that carries none) names are resolved and the
 * comparison is skipped. {@link #check} says which in the plan's reasons.
 *
 * @param hostMachine the host architecture as {@code uname -m} prints it
 * @param map libvirt's map for the host architecture; needed on x86 and ppc unless {@code qemuNames}
 * @param qemuNames the model names of {@code qemu-system-x86_64 -cpu help}, used only without {@code map}
 * @param host the CPU of the host being planned for; without it nothing is compared
 * @param hostSource where {@code host} comes from ({@code /proc/cpuinfo}, a declared topology), for reasons
 */
public record NovaCpuModels(String hostMachine, Optional<CpuMap> map, Set<String> qemuNames, Optional<HostCpu> host,
        String hostSource) implements HostCpuModels.Choice {

    /** The nova.conf option errors about models name. */
    public static final String MODELS_KEY = "libvirt.cpu_models";
    /** The nova.conf option errors about extra flags name. */
    public static final String FLAGS_KEY = "libvirt.cpu_model_extra_flags";

    private static final String CODE = "InvalidCPUInfo";
    private static final Set<String> RESOLVING_MACHINES = Set.of("i686", "x86_64", "ppc", "ppc64", "ppc64le");

    public NovaCpuModels {
        qemuNames = Set.copyOf(qemuNames);
    }

    /** Checks against libvirt's map and {@code host} as read from this host's /proc/cpuinfo. */
    public NovaCpuModels(String hostMachine, Optional<CpuMap> map, Optional<HostCpu> host) {
        this(hostMachine, map, Set.of(), host, "/proc/cpuinfo");
    }

    /**
     * Reads what the checks need on this kind of host: the map under {@code mapRoot} for
     * {@code hostMachine}'s architecture (when it has one) and, on x86, {@code hostRoot/proc/cpuinfo}.
     */
    public static NovaCpuModels read(Path mapRoot, Path hostRoot, String hostMachine) {
        return read(mapRoot, hostMachine, Optional.empty(),
                m -> Optional.of(new HostCpuView(HostCpuReader.read(hostRoot, m), "/proc/cpuinfo")), "/proc/cpuinfo");
    }

    /**
     * Reads libvirt's map for {@code hostMachine} once; where the map is not installed, an x86 host
     * falls back on QEMU's model names.
     *
     * @param models the models to read (the configured ones, which a planning run needs), or empty for all
     * @param hostCpu the CPU of the host being planned for, named with the map, and where it was seen, if known
     * @param hostSource the host being planned for, for the plan's reasons when its CPU is not known
     * @throws MissingComponentException {@code CpuModelsUnknown} when names must be resolved and
     *     neither the map nor QEMU is installed
     */
    public static NovaCpuModels read(Path mapRoot, String hostMachine, Optional<List<String>> models,
            Function<CpuMap, Optional<HostCpuView>> hostCpu, String hostSource) {
        Optional<String> arch = CpuMapReader.mapArch(hostMachine).filter(a -> RESOLVING_MACHINES.contains(hostMachine));
        if (arch.isEmpty()) {
            return new NovaCpuModels(hostMachine, Optional.empty(), Set.of(), Optional.empty(), hostSource);
        }
        if (!Files.isRegularFile(mapRoot.resolve("index.xml")) && arch.get().equals("x86")) {
            return new NovaCpuModels(hostMachine, Optional.empty(), QemuCpuModelNames.read(mapRoot), Optional.empty(),
                    hostSource);
        }
        CpuMap map = models.isPresent() ? CpuMapReader.read(mapRoot, arch.get(), models.get())
                : CpuMapReader.read(mapRoot, arch.get());
        Optional<HostCpuView> host = map.arch().equals("x86") ? hostCpu.apply(map) : Optional.empty();
        return new NovaCpuModels(hostMachine, Optional.of(map), Set.of(), host.map(HostCpuView::cpu),
                host.map(HostCpuView::source).orElse(hostSource));
    }

    /**
     * libvirt's spelling of a configured model name, matched ignoring case on x86 and ppc hosts;
     * the name itself elsewhere.
     *
     * @throws InvalidInputException {@code InvalidCPUInfo} naming {@value #MODELS_KEY} when the
     *     map (or QEMU) has no such model
     */
    public String resolve(String configured) {
        if (!RESOLVING_MACHINES.contains(hostMachine)) {
            return configured;
        }
        Optional<String> known;
        if (map.isPresent()) {
            known = map.get().modelIgnoringCase(configured).map(CpuModelDefinition::name);
        } else if (!qemuNames.isEmpty()) {
            known = qemuNames.stream().filter(n -> n.equalsIgnoreCase(configured)).findFirst();
        } else {
            throw new MissingComponentException("CpuMapMissing",
                    "resolving " + MODELS_KEY + " on " + hostMachine + " needs libvirt's CPU map");
        }
        return known.orElseThrow(() -> new InvalidInputException(CODE, MODELS_KEY, configured, MODELS_KEY
                + ": Configured CPU model: " + configured + " is not correct, or your host CPU arch (" + hostMachine
                + ") does not support this model. Please correct your config and try again."));
    }

    /** {@code policy} with every configured model in libvirt's spelling (see {@link #resolve}). */
    public HostPolicy resolveNames(HostPolicy policy) {
        return policy.withCpuModels(policy.cpuModels().stream().map(this::resolve).toList());
    }

    /**
     * Rule 4 of Nova's start-up check: each configured model, resolved, together with the extra
     * flags, must be runnable on the host. Flags with policy {@code disable} take their feature
     * out of the comparison, as libvirt's compare does. Without libvirt's map or a known host CPU,
     * or under {@code virt_type=qemu}, the names are only resolved. Returns {@code policy} with
     * the resolved model names.
     *
     * @throws InvalidInputException {@code InvalidCPUInfo} naming the model and what the host
     *     lacks, or naming an extra flag libvirt does not know
     */
    public HostPolicy checkCompatibility(HostPolicy policy) {
        HostPolicy resolved = resolveNames(policy);
        if (!compares(resolved)) {
            return resolved;
        }
        CpuMap m = map.get();
        HostCpu cpu = host.get();
        TreeSet<String> required = new TreeSet<>();
        TreeSet<String> disabled = new TreeSet<>();
        for (CpuFeature flag : resolved.extraFlags()) {
            String feature = m.canonicalFeature(flag.name()).orElseThrow(() -> new InvalidInputException(CODE,
                    FLAGS_KEY, flag.name(), FLAGS_KEY + ": " + incompatible(policy.cpuModels().getFirst(), resolved)
                            + " libvirt knows no CPU feature " + flag.name()));
            (flag.policy().equals("disable") ? disabled : required).add(feature);
        }
        for (int i = 0; i < resolved.cpuModels().size(); i++) {
            String model = resolved.cpuModels().get(i);
            TreeSet<String> missing = new TreeSet<>(m.models().get(model).features());
            missing.addAll(required);
            missing.removeAll(disabled);
            missing.removeAll(cpu.features());
            if (!missing.isEmpty()) {
                throw new InvalidInputException(CODE, MODELS_KEY, model, MODELS_KEY + ": "
                        + incompatible(policy.cpuModels().get(i), resolved) + " The host CPU (" + hostSource
                        + ") lacks " + missing);
            }
        }
        return resolved;
    }

    /** Nova's words for rule 4 (its "ar" typo corrected), the flags as configured. */
    private static String incompatible(String configuredModel, HostPolicy policy) {
        List<String> flags = policy.extraFlags().stream().map(CpuFeature::flag).toList();
        return "Configured CPU model: " + configuredModel + " and CPU Flags " + flags
                + " are not compatible with host CPU. Please correct your config and try again.";
    }

    private boolean compares(HostPolicy resolved) {
        return !resolved.cpuModels().isEmpty() && map.isPresent() && map.get().arch().equals("x86") && host.isPresent()
                && runsOnHostCpu(resolved);
    }

    /**
     * Whether the guests' CPU runs on the host's (virt_type {@code kvm}): under {@code qemu} (TCG)
     * QEMU emulates every feature of the model, and Nova's {@code _compare_cpu} skips the
     * comparison for that reason.
     */
    private static boolean runsOnHostCpu(HostPolicy policy) {
        return policy.virtType().equals("kvm");
    }

    /**
     * Runs Nova's start-up rules on {@code policy} ({@link #checkCompatibility}) and returns the
     * policy with libvirt's spelling, with what the planner needs to choose a model per flavor and
     * reasons saying what was checked.
     */
    public CpuModelCheck check(HostPolicy policy) {
        HostPolicy resolved = checkCompatibility(policy);
        List<Reason> notes = new ArrayList<>(2);
        String models = "cpu_models=" + String.join(",", policy.cpuModels());
        if (!RESOLVING_MACHINES.contains(hostMachine)) {
            notes.add(new Reason("CPU model names used as configured: Nova checks them only on x86 and ppc hosts",
                    models + ", host architecture " + hostMachine));
        } else if (map.isEmpty()) {
            notes.add(new Reason("libvirt's CPU map is not installed: model names checked against"
                    + " qemu-system-x86_64 -cpu help; compatibility with the host CPU not checked", models));
        } else if (!runsOnHostCpu(resolved) && map.get().arch().equals("x86")) {
            notes.add(new Reason("compatibility of the CPU models with the host CPU not checked: virt_type="
                    + resolved.virtType() + " emulates the guest CPU in software, as Nova's _compare_cpu skips it", models));
        } else if (compares(resolved)) {
            notes.add(new Reason("CPU models " + resolved.cpuModels() + " with the extra flags checked against the"
                    + " host CPU (" + hostSource + ")", models));
        } else if (map.get().arch().equals("x86")) {
            notes.add(new Reason("compatibility of the CPU models with the host CPU not checked: " + hostSource
                    + " gives no CPU vendor and flags", models));
        } else {
            notes.add(new Reason("CPU model names resolved with libvirt's " + map.get().arch()
                    + " map; compatibility is not compared on " + hostMachine, models));
        }
        return new CpuModelCheck(resolved, new HostCpuModels(this, notes));
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
        return modelForFeatures(models, CpuTraits.requiredFeatures(flavorExtraSpecs));
    }

    @Override
    public String modelFor(List<String> models, Set<String> traits) {
        return modelForFeatures(models, CpuTraits.features(traits));
    }

    private String modelForFeatures(List<String> models, Set<String> wanted) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("cpu_mode=custom always has at least one model");
        }
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
}
