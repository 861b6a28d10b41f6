package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.cli.hook.TaskState;
import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.libvirt.VirtXmlValidate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code kvmtune xml} writes, defined and started on the real libvirtd (issue 13, items 5 to
 * 7): every IO thread pinned with the emulator threads (exactly the ids the domain declares) and
 * the clock's offset kept, a
 * {@code --vcpus} that disagrees with the domain refused, and the fragments pasted into a
 * domain accepted. Every XML is checked with {@code virt-xml-validate} first.
 */
class LibvirtXmlIT extends OnOperatorHost {

    private static String domain() {
        return LibvirtTestDomain.domainXml("xml", "<vcpu placement='static'>2</vcpu><iothreads>2</iothreads>"
                + "<clock offset='localtime'/>");
    }
    // Emulator threads on the shared set: without it they (and the IO threads with them) may use every
    // pCPU of the guest, which on a 2-CPU host is every CPU, and the test could not tell pinned from not.
    private static final List<String> REQUEST = List.of("--flavor-spec", "hw:cpu_policy=mixed",
            "--flavor-spec", "hw:cpu_dedicated_mask=^0", "--flavor-spec", "hw:emulator_threads_policy=share");

    private Path config;

    @BeforeEach
    void configure() {
        // A named model KVM offers in full on any x86 host (Nova's start-up rules refuse one it does not);
        // QEMU under nested KVM cannot start host-model's (MSR 0x10a)
        config = host.config(LibvirtTestDomain.libvirtSection());
    }

    private CommandRun xml(String... more) {
        return xml(REQUEST, more);
    }

    private CommandRun xml(List<String> request, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("xml", "--config", config.toString(), "--claims", "none"));
        args.addAll(request);
        args.addAll(List.of(more));
        return host.kvmtune(args.toArray(String[]::new));
    }

    @Test
    void everyIoThreadIsPinnedWithTheEmulatorsAndTheClockKeepsItsLocalTimeOffset() throws Exception {
        LibvirtTestDomain d = startPatched("xml", domain());

        assertIoThreadsOnTheSharedPcpu(d, host.shared(), "IO iothread1", "IO iothread2");
        assertThat(LibvirtTestDomain.virsh("dumpxml", d.name()).output()).contains("<clock offset='localtime'");
    }

    @Test
    void ioThreadsDeclaredByIdWithoutId1AreEachPinnedAndNoPinForIoThread1IsWritten() throws Exception {
        LibvirtTestDomain d = startPatched("ioids", domain().replace("<iothreads>2</iothreads>",
                "<iothreads>2</iothreads><iothreadids><iothread id='2'/><iothread id='5'/></iothreadids>"));

        assertThat(LibvirtTestDomain.virsh("dumpxml", d.name()).output()).doesNotContain("iothread='1'");
        assertIoThreadsOnTheSharedPcpu(d, host.shared(), "IO iothread2", "IO iothread5");
    }

    /**
     * {@code kvmtune xml --domain-xml} on {@code domain}; the result passes virt-xml-validate,
     * is defined (virsh define accepts it) and started as {@code name}.
     */
    private LibvirtTestDomain startPatched(String name, String domain) throws Exception {
        Path file = Files.writeString(dir.resolve(name + "-domain.xml"), domain);
        CommandRun patched = xml("--domain-xml", file.toString());
        assertThat(patched.status()).as(patched.err()).isZero();
        VirtXmlValidate.assertValidDomain(patched.out(), dir);
        return host.startXml(name, patched.out());
    }

    /** QEMU runs exactly the IO threads {@code names}, each on the shared pCPU with the emulator threads. */
    private static void assertIoThreadsOnTheSharedPcpu(LibvirtTestDomain d, int shared, String... names) throws Exception {
        List<TaskState> io = TaskState.all(d.pid()).stream().filter(t -> t.comm().startsWith("IO iothread")).toList();
        assertThat(io).extracting(TaskState::comm).containsExactlyInAnyOrder(names);
        for (TaskState t : io) {
            assertThat(t.cpusAllowed()).as(t.toString()).isEqualTo(CpuSet.of(shared));
        }
    }

    @Test
    void aVcpuCountThatDisagreesWithTheDomainIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("domain.xml"), domain());
        CommandRun refused = xml(List.of("--flavor-spec", "hw:cpu_policy=dedicated"), "--domain-xml", file.toString(),
                "--vcpus", "1");
        assertThat(refused.status()).as(refused.out() + refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("the plan places 1 vCPUs but the domain's <vcpu> is 2");
    }

    @Test
    void theFragmentsPastedIntoADomainDefineAndStart() throws Exception {
        CommandRun fragments = xml("--vcpus", "2");
        assertThat(fragments.status()).as(fragments.err()).isZero();
        String domain = VirtXmlValidate.pasted(fragments.out(), 2, "paste");
        VirtXmlValidate.assertValidDomain(domain, dir);

        LibvirtTestDomain d = host.startXml("paste", domain);


        TaskState vcpu1 = TaskState.all(d.pid()).stream().filter(t -> t.comm().equals(LibvirtTestDomain.vcpuThreadName(1))).findFirst()
                .orElseThrow();
        assertThat(vcpu1.cpusAllowed()).isEqualTo(CpuSet.of(host.dedicated()));
    }
}
