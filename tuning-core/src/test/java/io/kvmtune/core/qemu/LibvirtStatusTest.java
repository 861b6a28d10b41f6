package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibvirtStatusTest {

    /** The shape libvirt 9.0 writes (most of it cut). */
    static final String STATUS = """
            <!--
            WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
            OVERWRITTEN AND LOST.
            -->
            <domstatus state='running' reason='booted' pid='4345'>
              <taint flag='high-privileges'/>
              <monitor path='/var/lib/libvirt/qemu/domain-4-rt1/monitor.sock' type='unix'/>
              <vcpus>
                <vcpu id='0' pid='4350'/>
                <vcpu id='1' pid='4351'/>
              </vcpus>
              <qemuCaps><flag name='kvm'/></qemuCaps>
              <domain type='kvm' id='4'>
                <name>rt1</name>
                <uuid>0b0e6bbb-cc7e-4c54-9c29-6a0f1a6e8f3a</uuid>
                <vcpu placement='static'>2</vcpu>
                <cputune><vcpupin vcpu='0' cpuset='1'/></cputune>
              </domain>
            </domstatus>
            """;

    private static LibvirtStatus parse(String xml) {
        return LibvirtStatus.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "rt1.xml");
    }

    @Test
    void readsThePidTheVcpuThreadsTheNameAndTheUuid() {
        LibvirtStatus status = parse(STATUS);

        assertThat(status.pid()).isEqualTo(4345);
        assertThat(status.vcpuThreads()).isEqualTo(Map.of(0, 4350, 1, 4351));
        assertThat(status.name()).contains("rt1");
        assertThat(status.uuid()).contains("0b0e6bbb-cc7e-4c54-9c29-6a0f1a6e8f3a");
        assertThat(status.monitorSocket()).contains(Path.of("/var/lib/libvirt/qemu/domain-4-rt1/monitor.sock"));
    }

    @Test
    void readsTheFileNamedAfterTheDomain(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("rt1.xml"), STATUS);

        assertThat(LibvirtStatus.read(run, new DomainName("rt1")).pid()).isEqualTo(4345);
        assertThatThrownBy(() -> LibvirtStatus.read(run, new DomainName("rt2")))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.code()).isEqualTo("DomainNotRunning"))
                .hasMessageContaining("rt2.xml");
    }

    @Test
    void refusesADoctypeSoNoEntityIsEverExpanded() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<domstatus pid='1'><domain><name>&x;</name></domain></domstatus>";

        assertThatThrownBy(() -> parse(xxe)).isInstanceOfSatisfying(DiscoveryException.class,
                e -> assertThat(e.code()).isEqualTo("LibvirtStatusUnreadable"));
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> parse("<domain/>")).hasMessageContaining("root element <domain>");
        assertThatThrownBy(() -> parse("<domstatus/>")).hasMessageContaining("<domstatus> has no pid attribute");
        assertThatThrownBy(() -> parse("<domstatus pid='x'/>")).hasMessageContaining("pid='x' is not a non-negative number");
        assertThatThrownBy(() -> parse("<domstatus pid='1'><vcpus><vcpu id='0' pid='5'/><vcpu id='0' pid='6'/></vcpus></domstatus>"))
                .hasMessageContaining("lists vCPU 0 twice");
        assertThatThrownBy(() -> parse("<domstatus pid='1'><vcpus>")).isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("rt1.xml ");
        assertThatThrownBy(() -> parse("")).isInstanceOf(DiscoveryException.class);
    }
}
