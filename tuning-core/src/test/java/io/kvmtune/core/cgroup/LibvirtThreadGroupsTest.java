package io.kvmtune.core.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.qemu.ProcCgroup;
import org.junit.jupiter.api.Test;

class LibvirtThreadGroupsTest {

    private static CgroupGroup v1(String path) {
        return new CgroupGroup("cpuset", path, false);
    }

    private static CgroupGroup v2(String path) {
        return new CgroupGroup("", path, true);
    }

    @Test
    void recognisesLibvirtsGroupsWithoutSystemd() {
        assertThat(LibvirtThreadGroups.isGroupFor(v1("/machine/qemu-4-rt1.libvirt-qemu/vcpu0"), "vcpu0")).isTrue();
        assertThat(LibvirtThreadGroups.isGroupFor(v1("/machine/qemu-4-rt1.libvirt-qemu/emulator"), "emulator")).isTrue();
        assertThat(LibvirtThreadGroups.isGroupFor(v1("/machine/web.partition/qemu-7-a.libvirt-qemu/iothread1"), "iothread1"))
                .isTrue();
    }

    @Test
    void recognisesLibvirtsNestedGroupBelowASystemdScope() {
        assertThat(LibvirtThreadGroups.isGroupFor(
                v2("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/vcpu3"), "vcpu3")).isTrue();
    }

    @Test
    void leavesGroupsOfOthersAlone() {
        // the scope itself belongs to systemd; older libvirt put threads there before 7.1
        assertThat(LibvirtThreadGroups.isThreadGroup(v2("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/vcpu0"))).isFalse();
        assertThat(LibvirtThreadGroups.isThreadGroup(v2("/system.slice/libvirt/vcpu0"))).isFalse();
        assertThat(LibvirtThreadGroups.isThreadGroup(v1("/docker/abc/vcpu0"))).isFalse();
        assertThat(LibvirtThreadGroups.isThreadGroup(v1("/"))).isFalse();
        assertThat(LibvirtThreadGroups.isThreadGroup(v1("/machine/qemu-4-rt1.libvirt-qemu"))).isFalse();
    }

    @Test
    void aThreadsGroupMustMatchItsRole() {
        // a hot-plugged vCPU that libvirt has not moved yet sits in emulator: writing it would move every emulator thread
        assertThat(LibvirtThreadGroups.isGroupFor(v1("/machine/qemu-4-rt1.libvirt-qemu/emulator"), "vcpu4")).isFalse();
        assertThat(LibvirtThreadGroups.isGroupFor(v1("/machine/qemu-4-rt1.libvirt-qemu/vcpu1"), "vcpu10")).isFalse();
    }

    @Test
    void onlyAProcessInsideAGuestGroupMayHaveThreadsInLibvirtsGroups() {
        assertThat(LibvirtThreadGroups.mayHoldThreadGroups(ProcCgroup.parseAll(
                "3:cpuset:/machine/qemu-4-rt1.libvirt-qemu/emulator\n1:cpu:/machine/qemu-4-rt1.libvirt-qemu/emulator\n0::/\n")))
                .isTrue();
        assertThat(LibvirtThreadGroups.mayHoldThreadGroups(ProcCgroup.parseAll(
                "0::/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator\n"))).isTrue();
        // a QEMU started by hand, by a test, or by a container runtime
        assertThat(LibvirtThreadGroups.mayHoldThreadGroups(ProcCgroup.parseAll("3:cpuset:/\n1:cpu:/\n0::/\n"))).isFalse();
        assertThat(LibvirtThreadGroups.mayHoldThreadGroups(ProcCgroup.parseAll(
                "0::/user.slice/user-0.slice/session-3.scope\n"))).isFalse();
        assertThat(LibvirtThreadGroups.mayHoldThreadGroups(ProcCgroup.parseAll(
                "4:memory:/process_api/05eacbf3\n3:cpuset:/\n0::/\n"))).isFalse();
    }

    @Test
    void findsTheGuestsOwnGroupFromWhereAThreadSits() {
        CgroupGroup guest = v1("/machine/qemu-4-rt1.libvirt-qemu");
        assertThat(LibvirtThreadGroups.guestGroupOf(guest)).contains(guest);
        assertThat(LibvirtThreadGroups.guestGroupOf(v1("/machine/qemu-4-rt1.libvirt-qemu/emulator"))).contains(guest);
        assertThat(LibvirtThreadGroups.guestGroupOf(v2("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/vcpu0")))
                .contains(v2("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt"));
        assertThat(LibvirtThreadGroups.guestGroupOf(v1("/machine"))).isEmpty();
        assertThat(LibvirtThreadGroups.guestGroupOf(v1("/"))).isEmpty();
        assertThat(LibvirtThreadGroups.isVcpuGroup(v1("/machine/qemu-4-rt1.libvirt-qemu/vcpu12"))).isTrue();
        assertThat(LibvirtThreadGroups.isVcpuGroup(v1("/machine/qemu-4-rt1.libvirt-qemu/emulator"))).isFalse();
    }

    @Test
    void aThreadAwaitsLibvirtsPlacementWhileInAGuestGroupOtherThanItsOwnInEitherHierarchy() {
        String born = "3:cpuset:/machine/qemu-4-rt1.libvirt-qemu/emulator\n1:cpu:/machine/qemu-4-rt1.libvirt-qemu/emulator\n0::/\n";
        String lifted = "3:cpuset:/machine/qemu-4-rt1.libvirt-qemu\n1:cpu:/machine/qemu-4-rt1.libvirt-qemu/emulator\n0::/\n";
        String halfway = "3:cpuset:/machine/qemu-4-rt1.libvirt-qemu/emulator\n1:cpu:/machine/qemu-4-rt1.libvirt-qemu/vcpu1\n0::/\n";
        String placed = "3:cpuset:/machine/qemu-4-rt1.libvirt-qemu/vcpu1\n1:cpu:/machine/qemu-4-rt1.libvirt-qemu/vcpu1\n0::/\n";
        assertThat(LibvirtThreadGroups.awaitsPlacement(ProcCgroup.parseAll(born), "vcpu1")).isTrue();
        assertThat(LibvirtThreadGroups.awaitsPlacement(ProcCgroup.parseAll(lifted), "vcpu1")).isTrue();
        assertThat(LibvirtThreadGroups.awaitsPlacement(ProcCgroup.parseAll(halfway), "vcpu1")).isTrue();
        assertThat(LibvirtThreadGroups.awaitsPlacement(ProcCgroup.parseAll(placed), "vcpu1")).isFalse();
        assertThat(LibvirtThreadGroups.awaitsPlacement(ProcCgroup.parseAll("3:cpuset:/\n1:cpu:/\n0::/\n"), "vcpu1"))
                .as("a QEMU outside libvirt").isFalse();
    }
}
