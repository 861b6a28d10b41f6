package io.kvmtune.hostprep.check;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.GuestProcess;
import io.kvmtune.hostprep.inventory.GuestProcess.GuestThread;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.sys.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What tuned cannot see: the threads actually placed on dedicated CPUs right now. */
final class ThreadChecks {

    private static final int SHOWN = 8;

    private ThreadChecks() {
    }

    static List<ReadinessCheck> all() {
        return List.of(
                new ReadinessCheck("threads.on-dedicated", "no host thread may run on dedicated CPUs",
                        ThreadChecks::onDedicated),
                new ReadinessCheck("guests.cpuset", "QEMU threads stay inside their cpusets and off others' CPUs",
                        ThreadChecks::guestCpusets));
    }

    private static Outcome onDedicated(HostInventory inv, Partition p) {
        Set<Integer> qemu = inv.guests().stream().map(GuestProcess::pid).collect(Collectors.toSet());
        List<TaskInfo> intruders = inv.tasks().stream()
                .filter(TaskInfo::isMovable)
                .filter(t -> !qemu.contains(t.pid()))
                .filter(t -> t.allowed().intersects(p.dedicated()))
                .toList();
        Evidence e = new Evidence("/proc/<pid>/task/<tid>/status Cpus_allowed_list", intruders.isEmpty()
                ? "no movable non-QEMU thread allowed on " + p.dedicated()
                : intruders.stream().limit(SHOWN).map(t -> t.tid() + ":" + t.comm() + ":" + t.allowed()
                        + ":last=" + t.lastCpu()).toList().toString());
        if (inv.tasks().isEmpty()) {
            return Outcome.unsupported("no task could be read from /proc", null, e);
        }
        if (intruders.isEmpty()) {
            return Outcome.pass("only QEMU and per-CPU kthreads may run on " + p.dedicated(), e);
        }
        long running = intruders.stream().filter(t -> p.dedicated().contains(t.lastCpu())).count();
        return Outcome.warn(intruders.size() + " movable thread(s) may run on dedicated CPUs, " + running
                        + " last ran there (the scheduler puts them there whenever it likes)",
                "isolcpus=domain," + p.dedicated() + " at boot, or move them: taskset -a -p -c " + p.housekeeping()
                        + " <pid> (tuna isolate -c " + p.dedicated() + ")", e);
    }

    private static Outcome guestCpusets(HostInventory inv, Partition p) {
        if (inv.guests().isEmpty()) {
            return Outcome.pass("no QEMU process is running", new Evidence("/proc/*/comm", "no qemu-system-* or qemu-kvm"));
        }
        List<String> outside = new ArrayList<>();
        List<String> emulatorOnDedicated = new ArrayList<>();
        for (GuestProcess g : inv.guests()) {
            for (GuestThread t : g.threads()) {
                CpuSet allowed = t.task().allowed();
                t.cpuset().value().filter(cs -> !cs.containsAll(allowed))
                        .ifPresent(cs -> outside.add(g.name() + "/" + t.task().tid() + "(" + t.task().comm() + "):"
                                + allowed + " not in cpuset " + cs));
                if (t.vcpu() < 0 && allowed.intersects(p.dedicated()) && !p.dedicated().containsAll(allowed)) {
                    emulatorOnDedicated.add(g.name() + "/" + t.task().tid() + "(" + t.task().comm() + "):" + allowed);
                }
            }
        }
        Evidence e = new Evidence("/proc/<pid>/task/<tid>/{status,cgroup} + cpuset.cpus.effective",
                inv.guests().stream().map(g -> g.name() + ":" + g.threads().size() + " threads").toList().toString());
        if (!outside.isEmpty()) {
            return Outcome.fail("QEMU threads allowed outside their cgroup cpuset: " + first(outside),
                    "re-pin the threads inside the cpuset (kvmtune apply), or widen the cgroup's cpuset.cpus", e);
        }
        if (!emulatorOnDedicated.isEmpty()) {
            return Outcome.warn("QEMU emulator threads float over dedicated and housekeeping CPUs: " + first(emulatorOnDedicated),
                    "pin emulator threads to housekeeping CPUs (<emulatorpin cpuset='" + p.housekeeping() + "'/>, "
                            + "hw:emulator_threads_policy=share with cpu_shared_set)", e);
        }
        return Outcome.pass("every QEMU thread is inside its cpuset", e);
    }

    private static String first(List<String> items) {
        return items.stream().limit(SHOWN).toList() + (items.size() > SHOWN ? " ..." : "");
    }
}
