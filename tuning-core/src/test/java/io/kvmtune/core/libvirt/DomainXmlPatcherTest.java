package io.kvmtune.core.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.plan.EmulatorPlacement;
import io.kvmtune.core.plan.EmulatorRule;
import io.kvmtune.core.plan.GuestCpu;
import io.kvmtune.core.plan.MemoryPlan;
import io.kvmtune.core.plan.RealtimePlan;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.linux.SchedPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainXmlPatcherTest {

    static final TuningPlan PLAN = new TuningPlan(
            List.of(new VcpuPlacement(0, CpuSet.of(4), true, SchedPolicy.OTHER, 0),
                    new VcpuPlacement(1, CpuSet.of(5), true, SchedPolicy.FIFO, 1)),
            Optional.of(new RealtimePlan(CpuSet.of(1), SchedPolicy.FIFO, 1)),
            new EmulatorPlacement(CpuSet.of(4), EmulatorRule.values()[0]),
            OptionalInt.empty(), CpuSet.empty(), new MemoryPlan(true, true), Optional.of(false),
            Optional.of(new GuestCpu("host-model", null, List.of(new CpuFeature("pcid", "require")))), List.of());

    static final TuningMetadata REQUEST = new TuningMetadata(
            Map.of("hw:cpu_policy", "dedicated"), Map.of("hw_time_hpet", "false"));

    static final String OPERATOR_DOMAIN = """
            <domain type='kvm'>
              <name>rt1</name>
              <uuid>6f0b2a51-8f5c-4d2e-9a53-2b7d8a3c1e90</uuid>
              <metadata><app:owner xmlns:app="urn:app">team-a</app:owner>
                <kvmtune:tuning xmlns:kvmtune="https://kvmtune.io/xmlns/tuning/1.0">
                  <kvmtune:flavor-spec key="hw:cpu_policy">shared</kvmtune:flavor-spec></kvmtune:tuning></metadata>
              <memory unit='MiB'>1024</memory>
              <vcpu>2</vcpu>
              <cputune><shares>2048</shares><vcpupin vcpu='0' cpuset='0-15'/><emulatorpin cpuset='0-15'/></cputune>
              <memoryBacking><hugepages/></memoryBacking>
              <clock offset='localtime'><timer name='hpet' present='yes'/><timer name='kvmclock' present='yes'/></clock>
              <cpu mode='custom' match='exact' check='partial'><model>Skylake-Client</model>
                <feature policy='disable' name='hle'/><topology sockets='1' cores='2' threads='1'/></cpu>
            </domain>
            """;

    static String patched() {
        return DomainXmlPatcher.patch(OPERATOR_DOMAIN.getBytes(StandardCharsets.UTF_8), PLAN, "kvm", REQUEST);
    }

    @Test
    void theResultIsADomainTheHookReadsBackAsTheSameRequest() {
        DomainDescription d = DomainXmlReader.read(patched().getBytes(StandardCharsets.UTF_8));
        assertThat(d.name()).isEqualTo("rt1");
        assertThat(d.tuning()).contains(REQUEST);
    }

    @Test
    void plannedPinsReplaceTheOperatorsWhileOtherTuningStays() {
        String xml = patched();
        assertThat(xml).contains("<shares>2048</shares>")
                .contains("<vcpupin cpuset=\"4\" vcpu=\"0\"/>").contains("<vcpupin cpuset=\"5\" vcpu=\"1\"/>")
                .contains("<emulatorpin cpuset=\"4\"/>")
                .contains("<vcpusched priority=\"1\" scheduler=\"fifo\" vcpus=\"1\"/>")
                .doesNotContain("0-15")
                .contains("<iothreads>1</iothreads>");
    }

    @Test
    void memoryClockAndCpuKeepWhatThePlanDoesNotDecide() {
        String xml = patched();
        assertThat(xml).contains("<hugepages/>").contains("<nosharepages/>").contains("<locked/>");
        assertThat(xml).contains("<clock offset=\"localtime\">").doesNotContain("offset=\"utc\"")
                .contains("<timer name=\"kvmclock\" present=\"yes\"/>")
                .contains("<timer name=\"hpet\" present=\"no\"/>").doesNotContain("name=\"hpet\" present=\"yes\"");
        assertThat(xml).contains("<cpu match=\"exact\" mode=\"host-model\">").doesNotContain("Skylake-Client")
                .doesNotContain("check=").doesNotContain("name=\"hle\"").contains("name=\"pcid\"")
                .contains("<topology cores=\"2\" sockets=\"1\" threads=\"1\"/>");
        assertThat(xml).contains("<app:owner xmlns:app=\"urn:app\">team-a</app:owner>");
    }

    /** A domain libvirt accepts: two IO threads, a local-time clock, two vCPUs. */
    static final String DEFINABLE_DOMAIN = """
            <domain type='kvm'>
              <name>io2</name>
              <memory unit='MiB'>64</memory>
              <vcpu placement='static'>2</vcpu>
              <iothreads>2</iothreads>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <clock offset='localtime'><timer name='rtc' tickpolicy='catchup' track='guest'/></clock>
              <on_poweroff>destroy</on_poweroff>
              <devices><emulator>/usr/bin/qemu-system-x86_64</emulator><memballoon model='none'/></devices>
            </domain>
            """;

    /** {@link #DEFINABLE_DOMAIN} with {@code declaration} for its IO threads, patched. */
    private static String patchedWithIoThreads(String declaration) {
        return DomainXmlPatcher.patch(DEFINABLE_DOMAIN.replace("<iothreads>2</iothreads>", declaration)
                .getBytes(StandardCharsets.UTF_8), PLAN, "kvm", REQUEST);
    }

    @Test
    void everyDeclaredIoThreadIsPinnedWithTheEmulatorsAndTheClockKeepsItsOffset(@TempDir Path dir) {
        String xml = DomainXmlPatcher.patch(DEFINABLE_DOMAIN.getBytes(StandardCharsets.UTF_8), PLAN, "kvm", REQUEST);

        assertThat(xml).contains("<iothreads>2</iothreads>").doesNotContain("<iothreads>1</iothreads>")
                .contains("<iothreadpin cpuset=\"4\" iothread=\"1\"/>")
                .contains("<iothreadpin cpuset=\"4\" iothread=\"2\"/>")
                .contains("<clock offset=\"localtime\">").contains("<timer name=\"rtc\" tickpolicy=\"catchup\"/>");
        VirtXmlValidate.assertValidDomain(xml, dir);
    }

    @Test
    void ioThreadsDeclaredByIdArePinnedByTheirIds() {
        String xml = patchedWithIoThreads("<iothreads>2</iothreads><iothreadids><iothread id='1'/><iothread id='7'/></iothreadids>");

        assertThat(xml).contains("<iothreadpin cpuset=\"4\" iothread=\"7\"/>").doesNotContain("iothread=\"2\"");
    }

    @Test
    void aDomainDeclaringIoThreadsWithoutId1GetsNoPinForIoThread1(@TempDir Path dir) {
        String xml = patchedWithIoThreads("<iothreads>2</iothreads><iothreadids><iothread id='2'/><iothread id='5'/></iothreadids>");

        assertThat(xml).contains("<iothreadpin cpuset=\"4\" iothread=\"2\"/>")
                .contains("<iothreadpin cpuset=\"4\" iothread=\"5\"/>").doesNotContain("iothread=\"1\"")
                .contains("<iothreads>2</iothreads>").doesNotContain("<iothreads>1</iothreads>");
        VirtXmlValidate.assertValidDomain(xml, dir);
    }

    @Test
    void aCountBeyondTheListedIdsDeclaresTheLowestFreeIdsAsLibvirtDoes() {
        String xml = patchedWithIoThreads("<iothreads>4</iothreads><iothreadids><iothread id='2'/><iothread id='5'/></iothreadids>");

        assertThat(xml).contains("iothread=\"1\"").contains("iothread=\"2\"").contains("iothread=\"3\"")
                .contains("iothread=\"5\"").doesNotContain("iothread=\"4\"");
    }

    @Test
    void aDomainWithoutIoThreadsGetsIoThread1DeclaredAndPinned() {
        String xml = patchedWithIoThreads("");

        assertThat(xml).contains("<iothreads>1</iothreads>").contains("<iothreadpin cpuset=\"4\" iothread=\"1\"/>")
                .doesNotContain("iothread=\"2\"");
    }

    @Test
    void aPlanForAnotherVcpuCountThanTheDomainsIsRefused() {
        assertThatThrownBy(() -> DomainXmlPatcher.patch(DEFINABLE_DOMAIN.replace(">2</vcpu>", ">3</vcpu>")
                .getBytes(StandardCharsets.UTF_8), PLAN, "kvm", REQUEST))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.key()).isEqualTo("vcpus"))
                .hasMessageContaining("the plan places 2 vCPUs but the domain's <vcpu> is 3");
    }

    @Test
    void patchingTwiceGivesTheSameDocument() {
        String once = patched();
        String twice = DomainXmlPatcher.patch(once.getBytes(StandardCharsets.UTF_8), PLAN, "kvm", REQUEST);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void aDoctypeIsRefused() {
        assertThatThrownBy(() -> DomainXmlPatcher.patch(
                "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><name>&x;</name></domain>"
                        .getBytes(StandardCharsets.UTF_8), PLAN, "kvm", REQUEST))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("DOCTYPE");
    }
}
