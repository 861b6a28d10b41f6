package io.kvmtune.hostprep.suggest;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.sys.KernelCmdline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel command-line fragment a partition needs: settings only the boot can make. Printed,
 * never applied; CPU lists use compact ranges (long per-CPU lists have overflowed grub's
 * environment block on large hosts).
 *
 * @param parameters every parameter wanted, in the order to append them
 * @param missing those not already on the running kernel's command line
 */
public record BootParameters(List<String> parameters, List<String> missing) implements JsonWritable {

    public BootParameters {
        parameters = List.copyOf(parameters);
        missing = List.copyOf(missing);
    }

    public static BootParameters suggest(HostInventory inv, Partition p) {
        String ded = p.dedicated().format();
        String hk = p.housekeeping().format();
        List<String> params = new ArrayList<>(List.of(
                "isolcpus=managed_irq,domain," + ded,
                "nohz=on",
                "nohz_full=" + ded,
                "rcu_nocbs=" + ded,
                "irqaffinity=" + hk,
                "skew_tick=1",
                "rcupdate.rcu_normal_after_boot=1",
                "nosoftlockup"));
        if (inv.cpuFlags().contains("constant_tsc") && inv.cpuFlags().contains("nonstop_tsc")) {
            // Only an invariant TSC may skip the clocksource watchdog.
            params.add("tsc=reliable");
        }
        if (inv.kvm().kvmParameters().containsKey("kvmclock_periodic_sync")) {
            params.add("kvm.kvmclock_periodic_sync=0");
        }
        if (inv.kvm().vendorModule().filter("kvm_intel"::equals).isPresent()
                && inv.kvm().vendorParameters().containsKey("ple_gap")) {
            params.add("kvm_intel.ple_gap=0");
        }
        if (inv.kvm().itlbMultihit().map(s -> s.startsWith("Not affected")).orElse(false)) {
            params.add("kvm.nx_huge_pages=never");
        }
        KernelCmdline now = inv.kernel().cmdlineOrEmpty();
        List<String> missing = params.stream().filter(param -> !now.has(param)).toList();
        return new BootParameters(params, missing);
    }

    /** The fragment to append, such as {@code isolcpus=managed_irq,domain,2-7 nohz=on ...}. */
    public String fragment() {
        return String.join(" ", parameters);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fragment", fragment());
        m.put("missing", missing);
        return m;
    }
}
