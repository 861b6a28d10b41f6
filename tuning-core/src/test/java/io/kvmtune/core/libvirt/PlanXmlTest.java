package io.kvmtune.core.libvirt;

import static io.kvmtune.core.plan.Hosts.policy;
import static io.kvmtune.core.topology.TestTopologies.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.plan.Hosts;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.Requests;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.spec.CpuMode;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Golden tests: the fragments Nova's libvirt driver would write for the same plan. */
class PlanXmlTest {

    private static TuningPlan realtimePlan() {
        // Nova's example: 4 dedicated vCPUs on 4-7, hw:cpu_realtime_mask=^0-1.
        return Planner.plan(Requests.dedicated(4).realtime("hw:cpu_realtime_mask=^0-1", CpuSet.of(2, 3)).hpet(true)
                .build(), Hosts.withCpu(policy("4-7", null), CpuMode.CUSTOM, List.of("Haswell-noTSX"),
                List.of(new CpuFeature("vmx", "disable"), new CpuFeature("pcid", "require"))), host(1, 8, 1),
                CpuSet.empty());
    }

    @Test
    void realtimeGuestRendersAsNovaWritesIt() {
        assertThat(PlanXml.render(realtimePlan(), "kvm")).isEqualTo("""
                <iothreads>1</iothreads>
                <cputune>
                  <vcpupin cpuset="4" vcpu="0"/>
                  <vcpupin cpuset="5" vcpu="1"/>
                  <vcpupin cpuset="6" vcpu="2"/>
                  <vcpupin cpuset="7" vcpu="3"/>
                  <emulatorpin cpuset="4-5"/>
                  <iothreadpin cpuset="4-5" iothread="1"/>
                  <vcpusched priority="1" scheduler="fifo" vcpus="2-3"/>
                </cputune>
                <memoryBacking>
                  <nosharepages/>
                  <locked/>
                </memoryBacking>
                <clock offset="utc">
                  <timer name="pit" tickpolicy="delay"/>
                  <timer name="rtc" tickpolicy="catchup"/>
                  <timer name="hpet" present="yes"/>
                </clock>
                <cpu match="exact" mode="custom">
                  <model>Haswell-noTSX</model>
                  <feature name="pcid" policy="require"/>
                  <feature name="vmx" policy="disable"/>
                </cpu>
                """);
    }

    @Test
    void plainGuestHasNoVcpuschedNoMemoryBackingAndAHpetThatIsOff() {
        TuningPlan plan = Planner.plan(Requests.dedicated(2).emulator(EmulatorThreadsPolicy.ISOLATE).build(),
                policy("4-7", null), host(1, 8, 1), CpuSet.empty());

        assertThat(PlanXml.render(plan, "kvm")).isEqualTo("""
                <iothreads>1</iothreads>
                <cputune>
                  <vcpupin cpuset="4" vcpu="0"/>
                  <vcpupin cpuset="5" vcpu="1"/>
                  <emulatorpin cpuset="6"/>
                  <iothreadpin cpuset="6" iothread="1"/>
                </cputune>
                <clock offset="utc">
                  <timer name="pit" tickpolicy="delay"/>
                  <timer name="rtc" tickpolicy="catchup"/>
                  <timer name="hpet" present="no"/>
                </clock>
                <cpu match="exact" mode="host-model"/>
                """);
    }

    @Test
    void theFragmentsPastedIntoADomainAreValidForLibvirt(@TempDir Path dir) {
        VirtXmlValidate.assertValidFragments(PlanXml.render(realtimePlan(), "kvm"), 4, dir);
    }

    @Test
    void nonKvmHostsGetAClockWithoutTimers() {
        Document doc = PlanXml.newDocument();
        Element clock = PlanXml.clock(doc, realtimePlan(), "qemu");

        assertThat(PlanXml.toXml(clock)).isEqualTo("<clock offset=\"utc\"/>\n");
    }

    @Test
    void fragmentsBelongToTheGivenDocumentSoAPatcherCanInsertThem() throws Exception {
        Document domain = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                "<domain type='kvm'><name>g</name></domain>".getBytes(StandardCharsets.UTF_8)));
        for (Element e : PlanXml.fragments(domain, realtimePlan(), "kvm")) {
            domain.getDocumentElement().appendChild(e);
        }

        String patched = PlanXml.toXml(domain.getDocumentElement());
        assertThat(patched).startsWith("<domain type=\"kvm\">").contains("<vcpusched priority=\"1\" scheduler=\"fifo\" vcpus=\"2-3\"/>");
        // Well-formed: it parses back.
        assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(patched.getBytes(StandardCharsets.UTF_8))).getDocumentElement()
                .getElementsByTagName("vcpupin").getLength()).isEqualTo(4);
    }

    @Test
    void renderingIsDeterministic() {
        assertThat(PlanXml.render(realtimePlan(), "kvm")).isEqualTo(PlanXml.render(realtimePlan(), "kvm"));
    }
}
