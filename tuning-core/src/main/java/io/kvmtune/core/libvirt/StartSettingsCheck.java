package io.kvmtune.core.libvirt;

import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.plan.GuestCpu;
import io.kvmtune.core.plan.TuningPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares what a domain XML makes QEMU start with (HPET, guest CPU, locked memory, huge pages)
 * with a plan.
 * libvirt starts QEMU from the XML, and a hook cannot change the XML at {@code prepare}, so the
 * {@code prepare} hook refuses (or warns about) each difference before the guest starts. Pure.
 */
public final class StartSettingsCheck {

    /** The settings an operator may let through with a warning ({@code [hook] start_settings_warn_only}). */
    public enum Setting {
        HPET("hpet"), CPU("cpu"), LOCKED_MEMORY("locked_memory"), HUGEPAGES("hugepages");

        private final String key;

        Setting(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** One setting of the domain XML that is not the plan's. */
    public record Difference(Setting setting, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    private StartSettingsCheck() {
    }

    /** Each setting where {@code domain} differs from {@code plan}; empty when the XML starts the guest as planned. */
    public static List<Difference> differences(TuningPlan plan, StartSettings domain) {
        List<Difference> out = new ArrayList<>();
        plan.hpet().ifPresent(planned -> {
            // libvirt adds no HPET option without the timer element: QEMU's x86 machines then have one
            boolean starts = domain.hpet().orElse(true);
            if (starts != planned) {
                out.add(new Difference(Setting.HPET, "hpet: the plan says present=" + yesNo(planned) + ", the domain XML "
                        + domain.hpet().map(h -> "says present=" + yesNo(h)).orElse("has no <timer name='hpet'>, so QEMU's"
                                + " machine has one")));
            }
        });
        plan.cpu().filter(c -> c.mode() != null).ifPresent(cpu -> cpu(cpu, domain, out));
        if (plan.memory().locked() && !domain.lockedMemory()) {
            out.add(new Difference(Setting.LOCKED_MEMORY, "locked memory: the plan locks guest memory, the domain XML"
                    + " has no <memoryBacking><locked/>"));
        }
        long planned = plan.memory().hugePageKib();
        if (planned > 0 && domain.hugePageKib() != planned) {
            out.add(new Difference(Setting.HUGEPAGES, "huge pages: the plan backs guest memory with " + planned
                    + " KiB pages from host node(s) " + plan.memory().hugePageNodes() + ", the domain XML has "
                    + (domain.hugePageKib() == 0 ? "no <memoryBacking><hugepages>"
                            : domain.hugePageKib() < 0 ? "<hugepages/> without a page size"
                                    : "<page size='" + domain.hugePageKib() + "' unit='KiB'>")));
        }
        return out;
    }

    private static void cpu(GuestCpu cpu, StartSettings domain, List<Difference> out) {
        String mode = domain.cpuMode().orElse(domain.cpuModel().isPresent() ? "custom" : "(none: QEMU's default model)");
        if (!mode.equals(cpu.mode())) {
            out.add(new Difference(Setting.CPU, "cpu: the plan says mode " + cpu.mode()
                    + Optional.ofNullable(cpu.model()).map(m -> " model " + m).orElse("") + ", the domain XML says mode "
                    + mode + domain.cpuModel().map(m -> " model " + m).orElse("")));
            return;
        }
        if (cpu.model() != null && !domain.cpuModel().map(cpu.model()::equalsIgnoreCase).orElse(false)) {
            out.add(new Difference(Setting.CPU, "cpu: the plan says model " + cpu.model() + ", the domain XML says "
                    + domain.cpuModel().orElse("no model")));
        }
        for (CpuFeature f : cpu.features()) {
            if (!domain.cpuFeatures().contains(f)) {
                out.add(new Difference(Setting.CPU, "cpu feature " + f.name() + ": the plan says policy=" + f.policy()
                        + ", the domain XML " + domain.cpuFeatures().stream().filter(d -> d.name().equals(f.name()))
                                .findFirst().map(d -> "says policy=" + d.policy()).orElse("does not name it")));
            }
        }
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
