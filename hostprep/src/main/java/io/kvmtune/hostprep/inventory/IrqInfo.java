package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interrupt routing: the default affinity for new IRQs, each IRQ's requested and effective
 * affinity, irqbalance and its banned CPUs.
 *
 * @param defaultAffinity {@code /proc/irq/default_smp_affinity}
 * @param irqs every IRQ under {@code /proc/irq}
 * @param irqbalanceRunning whether an {@code irqbalance} process runs
 * @param irqbalanceBanned {@code IRQBALANCE_BANNED_CPULIST} from its configuration file; absent when unset
 */
public record IrqInfo(Fact<CpuSet> defaultAffinity, List<Irq> irqs, boolean irqbalanceRunning,
        Fact<CpuSet> irqbalanceBanned) implements JsonWritable {

    public IrqInfo {
        irqs = List.copyOf(irqs);
    }

    /**
     * One interrupt.
     *
     * @param requested {@code smp_affinity_list}: where it may be delivered
     * @param effective {@code effective_affinity_list}: where the chip actually delivers it
     *     (absent without {@code CONFIG_GENERIC_IRQ_EFFECTIVE_AFF_MASK})
     * @param actions the handlers' names from {@code /proc/interrupts}
     */
    public record Irq(int irq, Fact<CpuSet> requested, Fact<CpuSet> effective, String actions) implements JsonWritable {
        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("irq", irq);
            m.put("affinity", requested);
            m.put("effective", effective);
            m.put("actions", actions);
            return m;
        }
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("default_smp_affinity", defaultAffinity);
        m.put("irqs", irqs);
        m.put("irqbalance_running", irqbalanceRunning);
        m.put("irqbalance_banned", irqbalanceBanned.value().map(CpuSet::format).orElse(null));
        return m;
    }
}
