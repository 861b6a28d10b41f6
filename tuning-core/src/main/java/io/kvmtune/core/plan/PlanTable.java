package io.kvmtune.core.plan;

import io.kvmtune.core.text.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link TuningPlan} as a plain-text table for people ({@code kvmtune plan --format table}):
 * one row per vCPU, then the guest-wide settings, then every reason.
 */
public final class PlanTable {

    private static final String[] HEADER = {"vCPU", "pCPUs", "pinned", "policy", "priority"};

    private PlanTable() {
    }

    public static String format(TuningPlan plan) {
        TextTable vcpus = new TextTable(HEADER);
        for (VcpuPlacement v : plan.vcpus()) {
            vcpus.row(v.vcpu(), v.pcpus().format(), v.pinned() ? "yes" : "no", v.policy().label(), v.priority());
        }
        StringBuilder out = new StringBuilder(256 + 48 * plan.vcpus().size()).append(vcpus.render());
        out.append('\n');
        setting(out, "realtime", plan.realtime().map(rt -> "vCPUs " + rt.vcpus() + " " + rt.policy().label()
                + " priority " + rt.priority()).orElse("none"));
        setting(out, "emulator", plan.emulator().pcpus() + " (" + plan.emulator().rule().label() + ")");
        setting(out, "isolated emulator pCPU", plan.isolatedEmulatorPcpu().isPresent()
                ? Integer.toString(plan.isolatedEmulatorPcpu().getAsInt()) : "none");
        setting(out, "reserved pCPUs", plan.reservedPcpus().isEmpty() ? "none" : plan.reservedPcpus().format());
        setting(out, "memory", memory(plan.memory()));
        // the JSON's words (true, false, null), with the timer element they stand for
        setting(out, "hpet", plan.hpet().map(present -> present ? "true (<timer name='hpet' present='yes'/>)"
                : "false (<timer name='hpet' present='no'/>)").orElse("null (no hpet timer element)"));
        setting(out, "cpu", plan.cpu().map(PlanTable::cpu).orElse("no <cpu> element"));
        if (!plan.reasons().isEmpty()) {
            out.append("\nreasons:\n");
            for (Reason r : plan.reasons()) {
                out.append("  ").append(r.decision()).append("  [").append(r.because()).append("]\n");
            }
        }
        return out.toString();
    }

    private static void setting(StringBuilder out, String name, String value) {
        out.append(name).append(':').repeat(' ', 23 - name.length()).append(value).append('\n');
    }

    private static String memory(MemoryPlan memory) {
        if (!memory.locked() && !memory.noSharePages()) {
            return "default";
        }
        List<String> parts = new ArrayList<>(2);
        if (memory.locked()) {
            parts.add("locked");
        }
        if (memory.noSharePages()) {
            parts.add("nosharepages");
        }
        return String.join(", ", parts);
    }

    private static String cpu(GuestCpu cpu) {
        StringBuilder s = new StringBuilder(cpu.mode() == null ? "no mode" : cpu.mode());
        if (cpu.model() != null) {
            s.append(", model ").append(cpu.model());
        }
        if (!cpu.features().isEmpty()) {
            s.append(", features ").append(cpu.features().stream()
                    .map(CpuFeature::flag).collect(Collectors.joining(" ")));
        }
        return s.toString();
    }
}
