package io.kvmtune.core.libvirt;

import io.kvmtune.core.plan.MemoryPlan;
import io.kvmtune.core.plan.TuningPlan;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The memory elements of a plan, as Nova's {@code _get_guest_memory_backing_config} and
 * {@code _get_guest_numa_config} write them: {@code <memoryBacking>} with its children in Nova's
 * order (hugepages, nosharepages, locked), and, for huge pages, {@code <numatune>} binding the
 * guest's memory to the host nodes whose free pages the plan counted.
 *
 * <p>Nova writes one {@code <page>} per guest NUMA cell, with {@code nodeset} naming the cell, and
 * a {@code memnode} per cell; kvmtune writes no guest NUMA cells (libvirt refuses a
 * {@code nodeset} naming a cell the domain lacks), so one {@code <page>} without {@code nodeset}
 * backs all guest memory, and the binding is to the set of host nodes.
 */
public final class MemoryBackingXml {

    private MemoryBackingXml() {
    }

    /** {@code <memoryBacking>}, or empty when the plan neither backs memory with huge pages nor locks it. */
    public static Optional<Element> memoryBacking(Document doc, TuningPlan plan) {
        MemoryPlan memory = plan.memory();
        if (!memory.hugePages() && !memory.noSharePages() && !memory.locked()) {
            return Optional.empty();
        }
        Element backing = doc.createElement("memoryBacking");
        if (memory.hugePages()) {
            Element hugepages = PlanXml.child(backing, "hugepages");
            Element page = PlanXml.child(hugepages, "page");
            page.setAttribute("size", Long.toString(memory.hugePageKib()));
            page.setAttribute("unit", "KiB");
        }
        if (memory.noSharePages()) {
            PlanXml.child(backing, "nosharepages");
        }
        if (memory.locked()) {
            PlanXml.child(backing, "locked");
        }
        return Optional.of(backing);
    }

    /** {@code <numatune><memory mode="strict" nodeset="..."/>} for huge pages, else empty. */
    public static Optional<Element> numatune(Document doc, TuningPlan plan) {
        MemoryPlan memory = plan.memory();
        if (!memory.hugePages()) {
            return Optional.empty();
        }
        Element numatune = doc.createElement("numatune");
        Element bind = PlanXml.child(numatune, "memory");
        bind.setAttribute("mode", "strict");
        bind.setAttribute("nodeset", memory.hugePageNodes().format());
        return Optional.of(numatune);
    }
}
