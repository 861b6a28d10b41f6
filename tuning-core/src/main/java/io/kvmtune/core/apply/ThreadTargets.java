package io.kvmtune.core.apply;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.linux.SchedPolicy;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Maps a plan onto a guest's threads: each vCPU thread gets its placement, IO threads and the
 * other emulator threads get the emulator set under SCHED_OTHER, as libvirt's
 * {@code <emulatorpin>} and Nova's {@code <iothreadpin>} place them. Pure.
 *
 * <p>A plan covers the guest's maximum vCPU count, as libvirt's {@code <vcpupin>} does: a guest
 * that allows vCPU hotplug runs fewer vCPU threads than planned, and the vCPUs not plugged in
 * are simply absent until they are (then applying again tunes them).
 */
public final class ThreadTargets {

    private ThreadTargets() {
    }

    /**
     * @throws InvalidInputException (key {@code plan}) when the guest has a vCPU the plan does not
     *     place: a plan for another guest must not be half applied
     */
    public static List<ThreadTarget> of(TuningPlan plan, QemuGuest guest) {
        List<ThreadTarget> targets = new ArrayList<>(guest.threads().size());
        BitSet seen = new BitSet();
        for (QemuThread t : guest.threads()) {
            switch (t.role()) {
                case ThreadRole.Vcpu(int index) -> {
                    if (index >= plan.vcpus().size()) {
                        throw mismatch(plan, guest, "the guest has vCPU " + index);
                    }
                    if (seen.get(index)) {
                        throw mismatch(plan, guest, "the guest lists vCPU " + index + " twice");
                    }
                    seen.set(index);
                    VcpuPlacement p = plan.vcpus().get(index);
                    targets.add(new ThreadTarget(t, p.pcpus(), p.policy(), p.priority()));
                }
                case ThreadRole.IoThread _, ThreadRole.Emulator _ -> targets.add(emulator(plan, t));
            }
        }
        return targets;
    }

    /** The vCPUs the plan places that the guest has no thread for: not plugged in (hotplug). */
    public static List<Integer> absentVcpus(TuningPlan plan, QemuGuest guest) {
        BitSet present = new BitSet();
        for (QemuThread t : guest.vcpus()) {
            present.set(((ThreadRole.Vcpu) t.role()).index());
        }
        List<Integer> absent = new ArrayList<>();
        for (int i = present.nextClearBit(0); i < plan.vcpus().size(); i = present.nextClearBit(i + 1)) {
            absent.add(i);
        }
        return absent;
    }

    private static ThreadTarget emulator(TuningPlan plan, QemuThread t) {
        return new ThreadTarget(t, plan.emulator().pcpus(), SchedPolicy.OTHER, 0);
    }

    private static InvalidInputException mismatch(TuningPlan plan, QemuGuest guest, String what) {
        return new InvalidInputException("Invalid", "plan", Integer.toString(plan.vcpus().size()),
                "the plan places " + plan.vcpus().size() + " vCPUs but " + what + " (QEMU pid " + guest.pid()
                        + "): plan for the guest as it runs");
    }
}
