package io.kvmtune.hostprep.check;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.KvmInfo;
import io.kvmtune.hostprep.inventory.PowerInfo;
import io.kvmtune.hostprep.inventory.PowerInfo.IdleState;
import io.kvmtune.hostprep.sys.Fact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The clock, power management and KVM itself. */
final class PlatformChecks {

    /** Exit latency above which an idle state is felt as wake-up jitter by a real-time guest. */
    private static final long IDLE_LATENCY_LIMIT_US = 10;

    private PlatformChecks() {
    }

    static List<ReadinessCheck> all() {
        return List.of(
                new ReadinessCheck("clocksource.tsc", "the TSC is the clocksource (no HPET/ACPI PM fallback)",
                        PlatformChecks::clocksource),
                new ReadinessCheck("power.governor", "dedicated CPUs run the performance governor", PlatformChecks::governor),
                new ReadinessCheck("power.cpuidle", "dedicated CPUs do not enter deep idle states", PlatformChecks::cpuidle),
                new ReadinessCheck("kvm.device", "/dev/kvm is present", PlatformChecks::device),
                new ReadinessCheck("kvm.parameters", "KVM module parameters as realtime-virtual-host sets them",
                        PlatformChecks::parameters));
    }

    private static Outcome clocksource(HostInventory inv, Partition p) {
        Fact<String> current = inv.clocksource().current();
        if (current.value().isEmpty()) {
            return Outcome.unreadable(current);
        }
        Evidence cur = Evidence.of(current);
        Evidence avail = Evidence.of(inv.clocksource().available());
        return switch (current.value().get()) {
            case "tsc" -> Outcome.pass("tsc" + (inv.clocksource().hpetAvailable() ? " (hpet available as fallback)" : ""),
                    cur, avail);
            case "hpet", "acpi_pm" -> Outcome.fail("clocksource is " + current.value().get()
                            + ": every clock read is a slow MMIO/port access, and the TSC was likely marked unstable",
                    "find why the TSC was rejected (dmesg | grep -i tsc), fix firmware settings, then "
                            + "echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource", cur, avail);
            case "kvm-clock" -> Outcome.warn("clocksource is kvm-clock: this host is itself a virtual machine (nested)",
                    "run real-time guests on bare metal", cur, avail);
            default -> Outcome.warn("clocksource is " + current.value().get(),
                    "echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource", cur, avail);
        };
    }

    private static Outcome governor(HostInventory inv, Partition p) {
        PowerInfo power = inv.power();
        if (power.governors().isEmpty()) {
            return Outcome.unsupported("no cpufreq on this host (no scaling driver: firmware-controlled or a VM)", null,
                    Evidence.of(power.cpufreqDriver()));
        }
        List<String> slow = new ArrayList<>();
        p.dedicated().forEach(cpu -> {
            String g = power.governors().get(cpu);
            if (g != null && !g.equals("performance")) {
                slow.add(cpu + ":" + g);
            }
        });
        Evidence e = new Evidence("/sys/devices/system/cpu/cpuN/cpufreq/scaling_governor", power.governorCpus().toString());
        if (slow.isEmpty()) {
            return Outcome.pass("performance on every dedicated CPU", e);
        }
        return Outcome.warn("frequency ramps on " + slow + " add latency after idle",
                "echo performance > /sys/devices/system/cpu/cpuN/cpufreq/scaling_governor (kvmtune hostprep apply)", e);
    }

    private static Outcome cpuidle(HostInventory inv, Partition p) {
        PowerInfo power = inv.power();
        long qos = power.pmQosLatencyUs().value().map(Integer::longValue).orElse(Long.MAX_VALUE);
        List<String> deep = new ArrayList<>();
        for (IdleState s : power.idleStates()) {
            CpuSet on = s.enabledOn().intersect(p.dedicated());
            if (s.latencyUs() > IDLE_LATENCY_LIMIT_US && s.latencyUs() > 0 && !on.isEmpty() && s.latencyUs() <= qos) {
                deep.add(s.name() + "(" + s.latencyUs() + "us) on " + on);
            }
        }
        Evidence states = new Evidence("/sys/devices/system/cpu/cpuN/cpuidle/stateK/{latency,disable}",
                power.idleStates().stream().map(s -> s.name() + ":" + s.latencyUs() + "us").toList().toString());
        if (power.idleStates().isEmpty()) {
            return Outcome.pass("no cpuidle states (driver " + power.idleDriver().describe() + ")",
                    Evidence.of(power.idleDriver()));
        }
        if (deep.isEmpty()) {
            return Outcome.pass("no idle state deeper than " + IDLE_LATENCY_LIMIT_US + " us usable on dedicated CPUs",
                    states, Evidence.of(power.pmQosLatencyUs()));
        }
        return Outcome.warn("deep idle states usable on dedicated CPUs: " + deep,
                "echo 1 > /sys/devices/system/cpu/cpuN/cpuidle/stateK/disable for those states, or hold a PM QoS "
                        + "limit in /dev/cpu_dma_latency (tuned's force_latency)", states, Evidence.of(power.pmQosLatencyUs()));
    }

    private static Outcome device(HostInventory inv, Partition p) {
        KvmInfo kvm = inv.kvm();
        Evidence dev = new Evidence("/dev/kvm", kvm.devKvm() ? "present" : "absent");
        if (kvm.devKvm()) {
            return Outcome.pass("/dev/kvm present" + kvm.vendorModule().map(m -> " (" + m + ")").orElse(""), dev);
        }
        return Outcome.fail("no /dev/kvm: guests would run under TCG emulation", kvm.hardwareVirt().isPresent()
                ? "modprobe " + (kvm.hardwareVirt().get().equals("vmx") ? "kvm_intel" : "kvm_amd")
                : "enable VT-x/AMD-V in the firmware", dev);
    }

    private static Outcome parameters(HostInventory inv, Partition p) {
        KvmInfo kvm = inv.kvm();
        if (kvm.kvmParameters().isEmpty()) {
            return Outcome.unsupported("kvm module not loaded (/sys/module/kvm/parameters absent)", null,
                    new Evidence("/sys/module/kvm/parameters", "absent"));
        }
        List<String> advice = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        param(kvm.kvmParameters(), "kvm", "kvmclock_periodic_sync", "N", advice, evidence);
        if (kvm.vendorModule().filter("kvm_intel"::equals).isPresent()) {
            param(kvm.vendorParameters(), "kvm_intel", "ple_gap", "0", advice, evidence);
        }
        String nx = kvm.kvmParameters().get("nx_huge_pages");
        boolean notAffected = kvm.itlbMultihit().map(s -> s.startsWith("Not affected")).orElse(false);
        if (nx != null && notAffected && !nx.equals("N") && !nx.equals("never")) {
            advice.add("kvm.nx_huge_pages=never (the CPU is not affected by iTLB multihit)");
            evidence.add(new Evidence("/sys/module/kvm/parameters/nx_huge_pages", nx));
        }
        if (advice.isEmpty()) {
            return Outcome.pass("kvmclock_periodic_sync, ple_gap and nx_huge_pages as wanted", evidence.toArray(Evidence[]::new));
        }
        return Outcome.warn("KVM parameters add periodic work or exits: " + advice,
                "boot with " + String.join(" ", advice.stream().map(a -> a.split(" ")[0]).toList())
                        + " (or options lines in /etc/modprobe.d and a module reload)", evidence.toArray(Evidence[]::new));
    }

    private static void param(Map<String, String> params, String module, String name, String wanted,
            List<String> advice, List<Evidence> evidence) {
        String v = params.get(name);
        if (v == null) {
            return;
        }
        evidence.add(new Evidence("/sys/module/" + module + "/parameters/" + name, v));
        if (!v.equals(wanted)) {
            advice.add(module + "." + name + "=" + (wanted.equals("N") ? "0" : wanted));
        }
    }
}
