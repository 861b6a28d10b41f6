package io.kvmtune.hostprep.sys;

import io.kvmtune.core.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code isolcpus=} boot parameter: optional flags, then a cpu list. Without flags the
 * kernel isolates from the scheduler domains ({@code domain}).
 *
 * @param flags {@code nohz}, {@code domain}, {@code managed_irq} as written (never empty: the
 *     implied {@code domain} is added when none is given)
 * @param cpus the isolated CPUs
 */
public record IsolCpus(List<String> flags, CpuSet cpus) {

    private static final Set<String> FLAGS = Set.of("nohz", "domain", "managed_irq");

    public IsolCpus {
        flags = List.copyOf(flags);
    }

    public static IsolCpus parse(String value) {
        List<String> flags = new ArrayList<>();
        String rest = value;
        while (true) {
            int comma = rest.indexOf(',');
            String head = comma < 0 ? rest : rest.substring(0, comma);
            if (!FLAGS.contains(head)) {
                break;
            }
            flags.add(head);
            rest = comma < 0 ? "" : rest.substring(comma + 1);
        }
        if (flags.isEmpty()) {
            flags.add("domain");
        }
        return new IsolCpus(flags, KernelCmdline.parseList("isolcpus", rest));
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The parameter as the kernel would read it back. */
    public String format() {
        return String.join(",", flags) + "," + cpus.format();
    }

    @Override
    public String toString() {
        return format();
    }
}
