package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.cgroup.CgroupGroup;
import io.kvmtune.core.cgroup.LibvirtThreadGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cgroup v1 {@code cpu} groups a realtime vCPU of a libvirt guest needs realtime runtime in
 * before libvirt has placed it (hosts with {@code CONFIG_RT_GROUP_SCHED}): its own {@code vcpuN},
 * where libvirt will move it; the per-thread group it sits in, if any ({@code emulator}, where
 * QEMU creates its vCPUs); and {@code emulator} while libvirt has yet to move the whole process
 * there. With runtime there ahead, the vCPU runs SCHED_FIFO from its birth, and libvirt's moves of
 * a SCHED_FIFO thread, which the kernel refuses into a group without runtime, succeed. libvirt
 * makes its groups only where absent and uses those made.
 */
final class RuntimeAhead {

    private final CgroupFs cgroups;

    RuntimeAhead(CgroupFs cgroups) {
        this.cgroups = cgroups;
    }

    /**
     * The groups for realtime vCPUs labelled {@code roleLabels} ({@code vcpu1}) that sit in the
     * cpu group {@code current}, of a QEMU whose main thread sits in {@code processGroup} (asked
     * only when the vCPUs sit in the guest's own group); empty outside libvirt's groups. They need
     * not exist yet.
     */
    List<CgroupGroup> groups(CgroupGroup current, Supplier<Optional<CgroupGroup>> processGroup, List<String> roleLabels) {
        Optional<CgroupGroup> guestGroup = LibvirtThreadGroups.guestGroupOf(current);
        if (guestGroup.isEmpty()) {
            return List.of();
        }
        List<CgroupGroup> ahead = new ArrayList<>();
        roleLabels.forEach(label -> ahead.add(guestGroup.get().child(label)));
        if (!current.equals(guestGroup.get())) {
            ahead.add(current);
        } else if (processGroup.get().filter(guestGroup.get()::equals).isPresent()) {
            ahead.add(guestGroup.get().child(LibvirtThreadGroups.EMULATOR));
        }
        return ahead;
    }

    /** Makes those of {@code groups} that do not exist; returns the ones this call made. */
    List<CgroupGroup> make(List<CgroupGroup> groups) {
        List<CgroupGroup> made = new ArrayList<>();
        for (CgroupGroup g : groups) {
            if (!cgroups.exists(g) && cgroups.create(g)) {
                made.add(g);
            }
        }
        return made;
    }

    /**
     * Whether libvirt has placed any vCPU of the guest whose own group in a v1 cpuset hierarchy is
     * {@code guestCpuset}: it has made its {@code vcpuN} group there (kvmtune never makes cpuset
     * groups, only cpu ones).
     */
    boolean vcpusPlaced(CgroupGroup guestCpuset) {
        return !cgroups.children(guestCpuset, LibvirtThreadGroups::isVcpuGroupName).isEmpty();
    }

    /** Whether libvirt has placed the vCPU labelled {@code label} ({@code vcpu1}) of that guest. */
    boolean placed(CgroupGroup guestCpuset, String label) {
        return cgroups.exists(guestCpuset.child(label));
    }
}
