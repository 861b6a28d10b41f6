package io.kvmtune.core.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.linux.SchedAttr;
import io.kvmtune.linux.Scheduling;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the kernel says about a guest's threads, read independently of the engine under test:
 * {@code Cpus_allowed_list} from {@code /proc/<pid>/task/<tid>/status} and {@code sched_getattr}.
 *
 * @param tid the thread
 * @param cpusAllowed its affinity as /proc shows it
 * @param sched its scheduling attributes
 */
public record KernelState(int tid, CpuSet cpusAllowed, SchedAttr sched) {

    /** Every thread of {@code guest} that still exists, by tid. */
    public static Map<Integer, KernelState> of(QemuGuest guest) {
        ProcFs proc = ProcFs.system();
        Map<Integer, KernelState> states = new TreeMap<>();
        for (QemuThread t : guest.threads()) {
            proc.taskStatus(guest.pid(), t.tid()).ifPresent(status ->
                    states.put(t.tid(), new KernelState(t.tid(), status.cpusAllowed(), Scheduling.get(t.tid()))));
        }
        return states;
    }
}
