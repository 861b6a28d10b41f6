package io.kvmtune.core.plan;

import io.kvmtune.core.InvalidInputException;
import java.util.List;
import java.util.Set;

/**
 * What the planner needs of the host's CPU models once Nova's start-up rules have run on them
 * ({@code cpumodel.NovaCpuModels}): how to choose the model for a flavor that requires CPU
 * traits, and what the check found, for the plan's reasons.
 *
 * @param choice Nova's {@code _match_cpu_model_by_flags}
 * @param notes what the check did (or could not do), added to every plan's reasons
 */
public record HostCpuModels(Choice choice, List<Reason> notes) {

    public HostCpuModels {
        notes = List.copyOf(notes);
    }

    /** Chooses among the configured models for a guest. */
    @FunctionalInterface
    public interface Choice {
        /**
         * @param models the configured models in libvirt's spelling, in configured order, never empty
         * @param traits the flavor's required traits ({@code HW_CPU_X86_AVX2}), possibly empty
         * @throws InvalidInputException {@code InvalidCPUInfo} when no model has every trait
         */
        String modelFor(List<String> models, Set<String> traits);
    }

    /**
     * No CPU models were checked (cpu_mode is not custom, or a unit test): the first model, and a
     * flavor requiring CPU traits cannot be matched.
     */
    public static HostCpuModels unchecked() {
        return new HostCpuModels((models, traits) -> {
            if (!traits.isEmpty()) {
                throw new InvalidInputException("InvalidCPUInfo", "cpu_models", String.join(",", models),
                        "No CPU model match traits: the models' features are unknown (libvirt's CPU map was not read)");
            }
            return models.getFirst();
        }, List.of());
    }
}
