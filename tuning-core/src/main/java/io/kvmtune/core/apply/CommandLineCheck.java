package io.kvmtune.core.apply;

import io.kvmtune.core.libvirt.StartSettings;
import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.plan.GuestCpu;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.QemuCommandLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the parts of a plan that QEMU fixes when it starts, the HPET and the guest CPU, compare
 * with the command line of a running QEMU. Applying cannot change them (only a restart from the
 * plan's domain XML can), so they are checked on their own, beside the thread state.
 *
 * <p>The plan speaks libvirt ({@code <timer name='hpet' present>}, {@code <cpu mode>}); the
 * command line is what libvirt made of it:
 * <ul>
 *   <li>HPET: {@code present='no'} becomes {@code -machine ...,hpet=off} (or {@code -no-hpet} with
 *       older libvirt); without either, the x86 {@code pc} and {@code q35} machines have one. On
 *       other machines whether QEMU has one is not known, and it is not compared.
 *   <li>{@code host-passthrough} is {@code -cpu host}; {@code custom} is {@code -cpu MODEL}, the
 *       name compared ignoring case (libvirt writes its own spelling, which is QEMU's; some QEMU
 *       targets also accept other cases).
 *   <li>{@code host-model} is expanded by libvirt, at start, into a named model and features it
 *       derives from the host; that derivation is not repeated here. Decidable is only that the
 *       guest does not run {@code -cpu host} or {@code max} or QEMU's default model.
 *   <li>Features: libvirt writes every {@code <feature>} as {@code name=on} or {@code name=off}
 *       in QEMU's spelling. A feature the command line sets the other way is a difference in
 *       every mode; one it does not set at all is a difference for {@code host-passthrough} and
 *       {@code custom}, and not compared for {@code host-model}, whose expanded model may already
 *       carry it. Features on the command line that the plan does not name (libvirt adds
 *       {@code migratable}, Hyper-V enlightenments, {@code pmu}, ...) are not differences.
 * </ul>
 *
 * @param differences one line per difference, in the style of the other verify lines
 * @param notCompared what the plan asks that the command line cannot decide, one line each
 * @param equal what was compared and found as planned, one line each, so that a report can show
 *     that the CPU model was compared rather than skipped
 */
public record CommandLineCheck(List<String> differences, List<String> notCompared, List<String> equal) {

    /**
     * QEMU's word for a feature where it is not libvirt's with {@code _} and {@code .} read as
     * {@code -}: the {@code source='qemu'} aliases of libvirt's {@code x86_features.xml}.
     */
    private static final Map<String, String> QEMU_WORDS = Map.of(
            "sse3", "pni",
            "pclmulqdq", "pclmuldq",
            "xd", "nx",
            "ffxsr", "fxsr-opt",
            "i64", "lm");

    public CommandLineCheck {
        differences = List.copyOf(differences);
        notCompared = List.copyOf(notCompared);
        equal = List.copyOf(equal);
    }

    /** Compares {@code plan}'s HPET and guest CPU with what {@code commandLine} started QEMU with. */
    public static CommandLineCheck of(TuningPlan plan, QemuCommandLine commandLine) {
        return of(plan, commandLine, Optional.empty());
    }

    /**
     * As {@link #of(TuningPlan, QemuCommandLine)}, knowing also the CPU the libvirt domain asked
     * for ({@code domain}, from its definition): a model the domain names ({@code mode='custom'})
     * is compared with QEMU's {@code -cpu}, and a plan for {@code host-model} is then a
     * difference, not a model libvirt derived from the host.
     */
    public static CommandLineCheck of(TuningPlan plan, QemuCommandLine commandLine, Optional<StartSettings> domain) {
        List<String> differences = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        List<String> equal = new ArrayList<>();
        plan.hpet().ifPresent(planned -> hpet(planned, commandLine, differences, notCompared, equal));
        Optional<String> asked = domain.filter(d -> d.cpuMode().orElse("custom").equals("custom"))
                .flatMap(StartSettings::cpuModel);
        asked.ifPresent(model -> askedModel(model, commandLine, differences, equal));
        plan.cpu().ifPresent(cpu -> {
            if (asked.isPresent() && "host-model".equals(cpu.mode())) {
                differences.add("cpu: plan mode host-model, the domain asks for model " + asked.get()
                        + " (mode custom), so QEMU runs " + commandLine.cpuModel().map(m -> "-cpu " + m).orElse("no -cpu"));
            } else {
                cpu(cpu, commandLine, differences, notCompared, equal);
            }
        });
        return new CommandLineCheck(differences, notCompared, equal);
    }

    private static void askedModel(String model, QemuCommandLine commandLine, List<String> differences,
            List<String> equal) {
        String line = "cpu: the domain asks for model " + model + ", QEMU runs with "
                + commandLine.cpuModel().map(m -> "-cpu " + m).orElse("no -cpu (QEMU's default model)");
        (commandLine.cpuModel().map(model::equalsIgnoreCase).orElse(false) ? equal : differences).add(line);
    }

    private static void hpet(boolean planned, QemuCommandLine commandLine, List<String> differences,
            List<String> notCompared, List<String> equal) {
        String plan = "hpet: plan present=" + (planned ? "yes" : "no");
        Optional<Boolean> running = commandLine.hpet();
        if (running.isEmpty()) {
            notCompared.add(plan + "; whether machine " + commandLine.machineType().orElse("(default)")
                    + " has an HPET is not known (only the x86 pc and q35 machines are)");
        } else {
            (running.get() == planned ? equal : differences).add(plan + (running.get()
                    ? ", QEMU runs with one (-machine hpet=on or the default of machine "
                            + commandLine.machineType().orElse("pc") + ")"
                    : ", QEMU runs without one (-no-hpet or -machine hpet=off)"));
        }
    }

    private static void cpu(GuestCpu cpu, QemuCommandLine commandLine, List<String> differences,
            List<String> notCompared, List<String> equal) {
        if (cpu.mode() == null) {
            return; // cpu_mode=none: the element names nothing to compare
        }
        String running = commandLine.cpuModel().map(m -> "-cpu " + m).orElse("no -cpu (QEMU's default model)");
        String model = commandLine.cpuModel().orElse("");
        boolean featuresMustBeSet;
        switch (cpu.mode()) {
            case "host-passthrough" -> {
                (model.equals("host") ? equal : differences)
                        .add("cpu: plan mode host-passthrough (-cpu host), QEMU runs with " + running);
                featuresMustBeSet = true;
            }
            case "custom" -> {
                if (cpu.model() != null) {
                    (model.equalsIgnoreCase(cpu.model()) ? equal : differences)
                            .add("cpu: plan model " + cpu.model() + ", QEMU runs with " + running);
                }
                featuresMustBeSet = true;
            }
            case "host-model" -> {
                if (model.isEmpty() || model.equals("host") || model.equals("max")) {
                    differences.add("cpu: plan mode host-model (a named model libvirt derives from the host),"
                            + " QEMU runs with " + running);
                } else {
                    notCompared.add("cpu: plan mode host-model; libvirt started it as -cpu " + model
                            + ", a model derived from the host that is not derived again here");
                }
                featuresMustBeSet = false;
            }
            default -> {
                notCompared.add("cpu: plan mode " + cpu.mode() + " is not one kvmtune compares");
                return;
            }
        }
        for (CpuFeature wanted : cpu.features()) {
            feature(wanted, commandLine.cpuFeatures(), featuresMustBeSet, cpu.mode(), differences, notCompared, equal);
        }
    }

    private static void feature(CpuFeature wanted, List<CpuFeature> running, boolean mustBeSet, String mode,
            List<String> differences, List<String> notCompared, List<String> equal) {
        String plan = "cpu feature " + wanted.name() + ": plan policy=" + wanted.policy();
        Optional<CpuFeature> set = running.stream().filter(f -> sameFeature(f.name(), wanted.name())).findFirst();
        if (set.isPresent()) {
            (set.get().policy().equals(wanted.policy()) ? equal : differences).add(plan + ", QEMU runs with "
                    + set.get().name() + "=" + (set.get().policy().equals("require") ? "on" : "off"));
        } else if (mustBeSet) {
            differences.add(plan + ", QEMU's -cpu does not set it");
        } else {
            notCompared.add(plan + "; QEMU's -cpu does not set it, and the model chosen for " + mode
                    + " may carry it");
        }
    }

    /** Whether a QEMU feature name and a libvirt one name the same feature. */
    static boolean sameFeature(String qemu, String libvirt) {
        return key(qemu).equals(key(libvirt));
    }

    private static String key(String feature) {
        String dashed = feature.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
        return QEMU_WORDS.getOrDefault(dashed, dashed);
    }
}
