package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupFile;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.QemuThread;
import java.util.ArrayList;
import java.util.List;

/** The one-line descriptions of how running state differs from a plan, shared by apply's read-back and verify. */
final class Differences {

    private Differences() {
    }

    static String describe(QemuThread t) {
        return t.role().label() + " tid " + t.tid() + " (" + t.comm() + ")";
    }

    /** How {@code actual} differs from what {@code target} asks, one line per attribute. */
    static List<String> ofThread(ThreadTarget target, ThreadState actual) {
        List<String> lines = new ArrayList<>(2);
        if (!actual.affinity().equals(target.cpus())) {
            lines.add(describe(target.thread()) + ": affinity is " + actual.affinity().format() + ", plan says "
                    + target.cpus().format());
        }
        if (!actual.sched().matches(target.policy(), target.priority())) {
            lines.add(describe(target.thread()) + ": scheduling is " + actual.sched().label() + ", plan says "
                    + target.policy().label() + (target.realtime() ? ":" + target.priority() : ""));
        }
        return lines;
    }

    static List<String> ofCpuset(CgroupFile file, CpuSet wanted, String actual) {
        CpuSet found;
        try {
            found = CpuSet.parse(actual);
        } catch (RuntimeException e) {
            return List.of(file + " holds '" + actual + "', not a CPU list");
        }
        return found.equals(wanted) ? List.of()
                : List.of(file + " is " + actual + ", plan says " + wanted.format());
    }

    static String gone(QemuThread t) {
        return describe(t) + " has exited";
    }

    static String notLocked(int pid) {
        return "guest memory of QEMU pid " + pid + " is not locked (VmLck 0 kB): start QEMU with"
                + " -overcommit mem-lock=on (libvirt: <memoryBacking><locked/>)";
    }
}
