package io.kvmtune.core.plan;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.spec.CpuMode;
import io.kvmtune.core.spec.HostPolicy;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The guest {@code <cpu>} element as Nova's libvirt driver derives it from {@code [libvirt]
 * cpu_mode}, {@code cpu_models} and {@code cpu_model_extra_flags} (nova-semantics.md §5). It
 * depends only on the host, so the planner computes it once per host.
 */
final class GuestCpuRule {

    private GuestCpuRule() {
    }

    /**
     * The element, or empty when none is written; the reasons for it are added to {@code reasons}.
     *
     * @throws InvalidInputException for {@code cpu_mode=custom} without a model on an arch where
     *     Nova has no fallback (start-up validation normally rejects this first)
     */
    static Optional<GuestCpu> of(HostPolicy host, String hostArch, List<Reason> reasons) {
        String virtType = "virt_type=" + host.virtType();
        if (!host.virtType().equals("kvm") && !host.virtType().equals("qemu")) {
            reasons.add(new Reason("no <cpu> element: only kvm and qemu guests select a CPU model", virtType));
            return Optional.empty();
        }
        CpuMode mode;
        if (host.cpuMode().isPresent()) {
            mode = host.cpuMode().get();
            reasons.add(new Reason("guest CPU mode " + mode.label(), "cpu_mode=" + mode.label()));
        } else {
            mode = hostArch.equals("aarch64") ? CpuMode.HOST_PASSTHROUGH : CpuMode.HOST_MODEL;
            reasons.add(new Reason("guest CPU mode " + mode.label() + ", the default on " + hostArch + " hosts",
                    "cpu_mode not set"));
        }
        if (mode == CpuMode.NONE) {
            reasons.add(new Reason("<cpu> without mode or model; extra flags are not applied", "cpu_mode=none"));
            return Optional.of(new GuestCpu(null, null, List.of()));
        }
        String model = null;
        if (mode == CpuMode.CUSTOM) {
            if (!host.cpuModels().isEmpty()) {
                model = host.cpuModels().getFirst();
                reasons.add(new Reason("guest CPU model " + model + ", the first configured",
                        "cpu_models=" + String.join(",", host.cpuModels())));
            } else if (hostArch.equals("aarch64")) {
                model = "max";
                reasons.add(new Reason("guest CPU model max, Nova's stand-in on aarch64", "cpu_models not set"));
            } else {
                throw InvalidInputException.invalid("cpu_models", "",
                        "cpu_models is required when cpu_mode=custom");
            }
        }
        if (!host.extraFlags().isEmpty()) {
            String flags = host.extraFlags().stream().map(CpuFeature::flag).collect(Collectors.joining(","));
            reasons.add(new Reason("CPU features " + flags + " (+ require, - disable)", "cpu_model_extra_flags=" + flags));
        }
        return Optional.of(new GuestCpu(mode.label(), model, host.extraFlags()));
    }
}
