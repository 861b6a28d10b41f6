package io.kvmtune.core.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupMembershipTest {

    @Test
    void readsAHybridHostsLinesAsThisMachineWritesThem() {
        CgroupMembership m = CgroupMembership.parse("""
                9:name=systemd:/
                3:cpuset:/machine/qemu-4-rt1.libvirt-qemu/vcpu0
                2:cpu,cpuacct:/machine/qemu-4-rt1.libvirt-qemu/vcpu0
                0::/
                """);

        assertThat(m.v1("cpuset")).get().extracting(CgroupEntry::path).isEqualTo("/machine/qemu-4-rt1.libvirt-qemu/vcpu0");
        assertThat(m.v1("cpu")).get().extracting(CgroupEntry::controllers).isEqualTo(List.of("cpu", "cpuacct"));
        assertThat(m.v1("memory")).isEmpty();
        assertThat(m.unified()).get().extracting(CgroupEntry::path).isEqualTo("/");
    }

    @Test
    void keepsColonsInsideThePath() {
        CgroupMembership m = CgroupMembership.parse("0::/machine.slice/odd:name.scope\n");

        assertThat(m.unified()).get().extracting(CgroupEntry::path).isEqualTo("/machine.slice/odd:name.scope");
    }

    @Test
    void namesTheLineItCannotRead() {
        assertThatThrownBy(() -> CgroupMembership.parse("3:cpuset\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'3:cpuset'");
        assertThatThrownBy(() -> CgroupMembership.parse("x:cpu:/\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> CgroupMembership.parse("1:cpu:relative\n")).hasMessageContaining("must start with '/'");
    }

    @FuzzTest(maxDuration = "10s")
    void anyTextParsesOrFailsWithIllegalArgument(String text) {
        if (text == null) {
            return;
        }
        try {
            CgroupMembership m = CgroupMembership.parse(text);
            m.entries().forEach(e -> assertThat(e.path()).startsWith("/"));
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
