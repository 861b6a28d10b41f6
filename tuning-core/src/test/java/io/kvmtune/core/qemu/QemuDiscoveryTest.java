package io.kvmtune.core.qemu;

import static io.kvmtune.core.qemu.FakeQmpServer.afterCapabilities;
import static io.kvmtune.core.qemu.FakeQmpServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.KvmtuneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuDiscoveryTest {

    private static final String QEMU = "/opt/fake/bin/qemu-system-x86_64";
    private static final int PID = 1000;

    @TempDir
    Path proc;
    @TempDir
    Path run;

    private QemuDiscovery discovery() {
        return new QemuDiscovery(new ProcFs(proc), run, Duration.ofSeconds(5));
    }

    /** A QEMU with two vCPUs and an IO thread; names as debug-threads=on gives them, or all alike. */
    private FakeProc qemu(boolean debugThreads, String... extraArgs) {
        List<String> argv = new java.util.ArrayList<>(List.of(QEMU, "-name", "guest=g1" + (debugThreads ? ",debug-threads=on" : ""),
                "-uuid", "u-1", "-object", "iothread,id=iothread1"));
        argv.addAll(List.of(extraArgs));
        String main = "qemu-system-x86";
        return new FakeProc(proc)
                .process(PID, main, 500, QEMU, argv)
                .thread(PID, 1001, debugThreads ? "call_rcu" : main, 501)
                .thread(PID, 1002, debugThreads ? "IO iothread1" : main, 502)
                .thread(PID, 1003, debugThreads ? "IO mon_iothread" : main, 503)
                .thread(PID, 1004, debugThreads ? "CPU 0/KVM" : main, 504)
                .thread(PID, 1005, debugThreads ? "CPU 1/KVM" : main, 505)
                .kernelThread(1010, "kvm-pit/" + PID, 510)
                .kernelThread(1011, "kvm-pit/999", 511);
    }

    private static String cpus(int tid0, int tid1) {
        return "[{\"cpu-index\": 0, \"thread-id\": " + tid0 + ", \"qom-path\": \"/machine/unattached/device[0]\"},"
                + " {\"cpu-index\": 1, \"thread-id\": " + tid1 + ", \"qom-path\": \"/machine/unattached/device[1]\"}]";
    }

    private FakeQmpServer qmp(String cpus, String ioThreads) throws Exception {
        return new FakeQmpServer(run.resolve("qmp.sock"), FakeQmpServer.GREETING, afterCapabilities(r ->
                List.of(reply(r, r.string("execute").equals("query-cpus-fast") ? cpus : ioThreads))));
    }

    private static List<String> roles(DiscoveredGuest found) {
        return found.guest().threads().stream().map(t -> t.tid() + " " + t.role().label()).toList();
    }

    @Test
    void namesRolesFromThreadNamesAlone() {
        qemu(true);

        DiscoveredGuest found = discovery().discover(PID, Optional.empty(), false);

        assertThat(roles(found)).containsExactly("1004 vcpu0", "1005 vcpu1", "1002 iothread1",
                "1000 emulator", "1001 emulator", "1003 emulator");
        assertThat(found.guest().process()).isEqualTo(new ThreadIdentity(PID, 500));
        assertThat(found.guest().name()).contains("g1");
        assertThat(found.guest().vcpus()).extracting(QemuThread::comm).containsExactly("CPU 0/KVM", "CPU 1/KVM");
        assertThat(found.sources()).containsExactly(ThreadSource.THREAD_NAMES);
        assertThat(found.commandLine().uuid()).contains("u-1");
    }

    @Test
    void kernelHelpersAreFoundAmongAllProcessesWhenKthreaddsChildrenCannotBeListed() {
        qemu(true).kernelThread(1012, "vhost-" + PID, 512);

        assertThat(discovery().kernelHelpers(new ThreadIdentity(PID, 500))).containsExactly(
                new KernelHelperThread(new ThreadIdentity(1010, 510), "kvm-pit/1000", KernelHelperThread.Kind.KVM_PIT),
                new KernelHelperThread(new ThreadIdentity(1012, 512), "vhost-1000", KernelHelperThread.Kind.VHOST));
    }

    @Test
    void kernelHelpersAreLookedForOnlyAmongKthreaddsChildrenWhenTheKernelListsThem() {
        qemu(true).kernelThread(2, "kthreadd", 2).kernelThread(1012, "vhost-" + PID, 512)
                .file("2/task/2/children", "1011 1010 1012 ")
                // a process that is no kernel thread is never read: this stat would not parse
                .file("4242/stat", "not a stat line");

        assertThat(discovery().kernelHelpers(new ThreadIdentity(PID, 500))).extracting(KernelHelperThread::comm)
                .containsExactly("kvm-pit/1000", "vhost-1000");
    }

    @Test
    void needsQmpWhenThreadsAreUnnamedAndSaysWhichSocketsTheCommandLineHas() throws Exception {
        qemu(false, "-qmp", "unix:/run/x.sock,server=on");

        assertThatThrownBy(() -> discovery().discover(PID, Optional.empty(), false))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.code()).isEqualTo("NoThreadSource"))
                .hasMessageContaining("debug-threads=on").hasMessageContaining("/run/x.sock");

        try (FakeQmpServer server = qmp(cpus(1004, 1005), "[{\"id\": \"iothread1\", \"thread-id\": 1002}]")) {
            DiscoveredGuest found = discovery().discover(PID, Optional.of(server.socket()), false);

            assertThat(roles(found)).containsExactly("1004 vcpu0", "1005 vcpu1", "1002 iothread1",
                    "1000 emulator", "1001 emulator", "1003 emulator");
            assertThat(found.sources()).containsExactly(ThreadSource.QMP);
        }
    }

    @Test
    void threadNamesAndQmpThatAgreeAreBothUsed() throws Exception {
        qemu(true);
        try (FakeQmpServer server = qmp(cpus(1004, 1005), "[{\"id\": \"iothread1\", \"thread-id\": 1002}]")) {
            DiscoveredGuest found = discovery().discover(PID, Optional.of(server.socket()), false);

            assertThat(found.sources()).containsExactlyInAnyOrder(ThreadSource.THREAD_NAMES, ThreadSource.QMP);
            assertThat(found.guest().vcpus()).extracting(QemuThread::tid).containsExactly(1004, 1005);
        }
    }

    @Test
    void aVcpuOnDifferentThreadsInTwoSourcesIsAnErrorNamingBoth() throws Exception {
        qemu(true);
        try (FakeQmpServer server = qmp(cpus(1005, 1004), "[{\"id\": \"iothread1\", \"thread-id\": 1002}]")) {
            assertThatThrownBy(() -> discovery().discover(PID, Optional.of(server.socket()), false))
                    .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.code()).isEqualTo("ThreadSourcesDisagree"))
                    .hasMessage("vCPU 0 thread: thread names says tid 1004, QMP says tid 1005");
        }
    }

    @Test
    void aThreadThatIsNotPartOfTheProcessIsAnError() throws Exception {
        qemu(false);
        try (FakeQmpServer server = qmp(cpus(1004, 4242), "[]")) {
            assertThatThrownBy(() -> discovery().discover(PID, Optional.of(server.socket()), false))
                    .hasMessage("QMP says vCPU 1 runs on thread 4242, which is not a thread of QEMU process 1000");
        }
    }

    @Test
    void twoRolesOnOneThreadIsAnError() throws Exception {
        qemu(false);
        try (FakeQmpServer server = qmp(cpus(1004, 1004), "[]")) {
            assertThatThrownBy(() -> discovery().discover(PID, Optional.of(server.socket()), false))
                    .hasMessage("QMP says both vCPU 0 and vCPU 1 run on thread 1004");
        }
    }

    @Test
    void anIoThreadMissingFromOneSourceIsAnError() throws Exception {
        qemu(true);
        try (FakeQmpServer server = qmp(cpus(1004, 1005), "[]")) {
            assertThatThrownBy(() -> discovery().discover(PID, Optional.of(server.socket()), false))
                    .hasMessage("IO thread iothread1 thread: thread names says tid 1002, QMP says none");
        }
    }

    @Test
    void aLongIoThreadIdIsCutInTheThreadNameButStillMatches() throws Exception {
        new FakeProc(proc).process(PID, "qemu-system-x86", 500, QEMU, List.of(QEMU, "-name", "g,debug-threads=on"))
                .thread(PID, 1002, "IO iothread-dis", 502)
                .thread(PID, 1004, "CPU 0/KVM", 504);
        try (FakeQmpServer server = qmp("[{\"cpu-index\": 0, \"thread-id\": 1004}]",
                "[{\"id\": \"iothread-disk0\", \"thread-id\": 1002}]")) {
            DiscoveredGuest found = discovery().discover(PID, Optional.of(server.socket()), false);

            assertThat(roles(found)).containsExactly("1004 vcpu0", "1002 iothread-disk0", "1000 emulator");
        }
    }

    @Test
    void refusesAProcessThatIsNotQemuUnlessForced() {
        new FakeProc(proc).process(PID, "bash", 500, "/usr/bin/bash", List.of("bash"));

        assertThatThrownBy(() -> discovery().discover(PID, Optional.empty(), false))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("NotQemu");
                    assertThat(e.key()).isEqualTo("pid");
                    assertThat(e.value()).isEqualTo("1000");
                })
                .hasMessageContaining("/usr/bin/bash").hasMessageContaining("--force");
        assertThatThrownBy(() -> discovery().discover(PID, Optional.empty(), true))
                .as("forced, it is read, but an unnamed process still needs a thread source")
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.code()).isEqualTo("NoThreadSource"));
    }

    @Test
    void acceptsAQemuWhoseBinaryWasReplacedByAnUpgrade() {
        new FakeProc(proc).process(PID, "qemu-kvm", 500, "/usr/libexec/qemu-kvm (deleted)",
                List.of("/usr/libexec/qemu-kvm", "-name", "g,debug-threads=on"));

        assertThat(discovery().discover(PID, Optional.empty(), false).guest().threads()).hasSize(1);
    }

    @Test
    void refusesMissingProcessesThreadIdsAndBadPids() {
        qemu(true);

        assertThatThrownBy(() -> discovery().discover(4242, Optional.empty(), false))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("NoSuchProcess"));
        assertThatThrownBy(() -> discovery().discover(1004, Optional.empty(), false))
                .hasMessageContaining("1004 is a thread of process 1000");
        assertThatThrownBy(() -> discovery().discover(0, Optional.empty(), false))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void dropsThreadsThatExitWhileBeingRead() {
        qemu(true).vanishedThread(PID, 1006);

        assertThatThrownBy(() -> discovery().discover(PID, Optional.empty(), false))
                .as("a directory that never loses its stat file looks like churn that never settles")
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.code()).isEqualTo("ThreadsUnstable"));
    }

    @Test
    void aLibvirtGuestIsFoundThroughItsStatusFileAndMustMatchItsCommandLine() throws Exception {
        qemu(true);
        Files.writeString(run.resolve("g1.xml"), """
                <domstatus state='running' pid='1000'>
                  <monitor path='/var/lib/libvirt/qemu/domain-1-g1/monitor.sock' type='unix'/>
                  <vcpus><vcpu id='0' pid='1004'/><vcpu id='1' pid='1005'/></vcpus>
                  <domain type='kvm'><name>g1</name><uuid>u-1</uuid></domain>
                </domstatus>
                """);

        DiscoveredGuest found = discovery().discoverDomain(new DomainName("g1"), Optional.empty(), false);

        assertThat(found.sources()).containsExactlyInAnyOrder(ThreadSource.THREAD_NAMES, ThreadSource.LIBVIRT_STATUS);
        assertThat(roles(found)).startsWith("1004 vcpu0", "1005 vcpu1", "1002 iothread1");
        assertThatThrownBy(() -> discovery().discoverDomain(new DomainName("g1"),
                Optional.of(Path.of("/var/lib/libvirt/qemu/domain-1-g1/monitor.sock")), false))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.key()).isEqualTo("qmp"))
                .hasMessageContaining("libvirt holds it");
    }

    @Test
    void aStatusFileForAnotherGuestIsCaughtByTheUuid() throws Exception {
        qemu(true);
        Files.writeString(run.resolve("g1.xml"), "<domstatus pid='1000'><vcpus><vcpu id='0' pid='1004'/><vcpu id='1' pid='1005'/>"
                + "</vcpus><domain><name>g1</name><uuid>u-2</uuid></domain></domstatus>");

        assertThatThrownBy(() -> discovery().discoverDomain(new DomainName("g1"), Optional.empty(), false))
                .isInstanceOf(KvmtuneException.class)
                .hasMessage("guest uuid: libvirt's status file says u-2, the QEMU command line says u-1");
    }

    /** libvirt's status file of guest g1 (QEMU pid 1000, uuid u-1) listing {@code vcpus}. */
    private void statusFile(String vcpus) throws Exception {
        Files.writeString(run.resolve("g1.xml"), "<domstatus pid='1000'><vcpus>" + vcpus + "</vcpus>"
                + "<domain><name>g1</name><uuid>u-1</uuid></domain></domstatus>");
    }

    @Test
    void aVcpuLibvirtStillListsOnAThreadThatExitedIsNotPluggedIn() throws Exception {
        new FakeProc(proc).process(PID, "qemu-system-x86", 500, QEMU,
                        List.of(QEMU, "-name", "guest=g1,debug-threads=on", "-uuid", "u-1"))
                .thread(PID, 1004, "CPU 0/KVM", 504);
        statusFile("<vcpu id='0' pid='1004'/><vcpu id='1' pid='1005'/>");

        DiscoveredGuest found = discovery().discoverDomain(new DomainName("g1"), Optional.empty(), false);

        assertThat(roles(found)).containsExactly("1004 vcpu0", "1000 emulator");
    }

    @Test
    void aStatusFileNamingAnExitedThreadForAVcpuAnotherThreadRunsIsStillAnError() throws Exception {
        qemu(true);
        statusFile("<vcpu id='0' pid='1004'/><vcpu id='1' pid='4242'/>");

        assertThatThrownBy(() -> discovery().discoverDomain(new DomainName("g1"), Optional.empty(), false))
                .hasMessage("libvirt's status file says vCPU 1 runs on thread 4242, which is not a thread of QEMU process 1000");
    }

    @Test
    void aStatusFileDisagreeingWithThreadNamesIsAnError() throws Exception {
        qemu(true);
        statusFile("<vcpu id='0' pid='1004'/>");

        assertThatThrownBy(() -> discovery().discoverDomain(new DomainName("g1"), Optional.empty(), false))
                .hasMessage("vCPU 1 thread: thread names says tid 1005, libvirt's status file says none");
    }
}
