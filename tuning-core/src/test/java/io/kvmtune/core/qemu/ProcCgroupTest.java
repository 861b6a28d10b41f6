package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcCgroupTest {

    @Test
    void readsAHybridV1AndV2File() {
        List<ProcCgroup> groups = ProcCgroup.parseAll("""
                9:name=systemd:/
                3:cpuset:/machine/qemu-4-rt1.libvirt-qemu/vcpu0
                2:cpu,cpuacct:/machine/qemu-4-rt1.libvirt-qemu/vcpu0
                0::/
                """);

        assertThat(groups).containsExactly(
                new ProcCgroup(9, List.of("name=systemd"), "/"),
                new ProcCgroup(3, List.of("cpuset"), "/machine/qemu-4-rt1.libvirt-qemu/vcpu0"),
                new ProcCgroup(2, List.of("cpu", "cpuacct"), "/machine/qemu-4-rt1.libvirt-qemu/vcpu0"),
                new ProcCgroup(0, List.of(), "/"));
        assertThat(groups.getLast().isUnified()).isTrue();
        assertThat(groups.getFirst().isUnified()).isFalse();
    }

    @Test
    void keepsColonsInsideTheGroupPath() {
        assertThat(ProcCgroup.parseAll("0::/machine.slice/a:b\n"))
                .containsExactly(new ProcCgroup(0, List.of(), "/machine.slice/a:b"));
    }

    @Test
    void rejectsLinesThatAreNotIdControllersPath() {
        assertThatThrownBy(() -> ProcCgroup.parseAll("0:/\n")).isInstanceOf(ProcFormatException.class)
                .hasMessageContaining("not ID:CONTROLLERS:PATH");
        assertThatThrownBy(() -> ProcCgroup.parseAll("x:cpu:/\n")).isInstanceOf(ProcFormatException.class)
                .hasMessageContaining("not a number");
    }
}
