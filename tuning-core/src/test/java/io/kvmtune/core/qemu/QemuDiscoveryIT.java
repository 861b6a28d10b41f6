package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.plan.CpuFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Thread discovery on a real, paused qemu-system-x86_64 with 4 vCPUs (KVM where usable, else TCG). */
class QemuDiscoveryIT {

    private static final ThrowawayGuest.Options FOUR_VCPUS = ThrowawayGuest.Options.defaults().withVcpus(4);

    @BeforeAll
    static void qemuIsInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ThrowawayGuest.binary().isPresent(),
                "qemu-system-x86_64 is not on the PATH (Debian package " + ThrowawayGuest.QEMU_PACKAGE + ")");
    }

    private static String vcpuName(ThrowawayGuest guest, int index) {
        return "CPU " + index + "/" + (guest.accelerator() == ThrowawayGuest.Accelerator.KVM ? "KVM" : "TCG");
    }

    @Test
    void namedThreadsAndQmpAgreeOnFourVcpusAndAnIoThread() {
        try (ThrowawayGuest guest = ThrowawayGuest.start(FOUR_VCPUS.withIoThread("iothread1"))) {
            QemuDiscovery discovery = QemuDiscovery.system();
            DiscoveredGuest found = discovery.discover(guest.pid(), Optional.of(guest.qmpSocket()), false);

            assertThat(found.sources()).containsExactlyInAnyOrder(ThreadSource.THREAD_NAMES, ThreadSource.QMP);
            assertThat(found.guest().pid()).isEqualTo(guest.pid());
            assertThat(found.guest().vcpus()).extracting(QemuThread::comm)
                    .containsExactly(vcpuName(guest, 0), vcpuName(guest, 1), vcpuName(guest, 2), vcpuName(guest, 3));
            assertThat(found.guest().threads()).filteredOn(t -> t.role() instanceof ThreadRole.IoThread)
                    .extracting(QemuThread::comm, t -> t.role().label())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("IO iothread1", "iothread1"));
            // call_rcu starts before QEMU reads -name, so it keeps the program's name; it is an emulator thread either way.
            assertThat(found.guest().threads()).filteredOn(t -> t.role() instanceof ThreadRole.Emulator)
                    .extracting(QemuThread::comm).contains("qemu-system-x86", "IO mon_iothread");
            assertThat(found.guest().threads().getFirst().tid()).isNotEqualTo(guest.pid());
            assertThat(found.guest().threads()).extracting(QemuThread::tid)
                    .containsExactlyInAnyOrderElementsOf(ProcFs.system().taskIds(guest.pid()));
            found.guest().threads().forEach(t -> assertThat(ProcFs.system().stillSame(t.identity())).isTrue());
            if (guest.accelerator() == ThrowawayGuest.Accelerator.KVM) {
                assertThat(discovery.kernelHelpers(found.guest().process())).extracting(KernelHelperThread::comm)
                        .contains("kvm-pit/" + guest.pid());
            }
        }
    }

    @Test
    void withoutDebugThreadsOnlyQmpCanTellTheThreadsApart() {
        try (ThrowawayGuest guest = ThrowawayGuest.start(FOUR_VCPUS.withDebugThreads(false))) {
            QemuDiscovery discovery = QemuDiscovery.system();

            assertThatThrownBy(() -> discovery.discover(guest.pid(), Optional.empty(), false))
                    .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.code()).isEqualTo("NoThreadSource"))
                    .hasMessageContaining(guest.qmpSocket().toString());

            DiscoveredGuest found = discovery.discover(guest.pid(), Optional.of(guest.qmpSocket()), false);

            assertThat(found.sources()).containsExactly(ThreadSource.QMP);
            assertThat(found.guest().vcpus()).hasSize(4).extracting(t -> t.role().label())
                    .containsExactly("vcpu0", "vcpu1", "vcpu2", "vcpu3");
            assertThat(found.guest().threads()).extracting(QemuThread::comm).containsOnly("qemu-system-x86");
        }
    }

    @Test
    void aQemuThatExitedNoLongerMatchesItsIdentity() throws Exception {
        ThreadIdentity identity;
        try (ThrowawayGuest guest = ThrowawayGuest.start(ThrowawayGuest.Options.defaults())) {
            identity = QemuDiscovery.system().discover(guest.pid(), Optional.empty(), false).guest().process();
            assertThat(ProcFs.system().stillSame(identity)).isTrue();

            guest.process().destroyForcibly();
            guest.process().onExit().get(10, TimeUnit.SECONDS);

            assertThat(ProcFs.system().stillSame(identity)).isFalse();
            assertThatThrownBy(() -> QemuDiscovery.system().discover(identity.tid(), Optional.empty(), false))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("NoSuchProcess"));
        }
    }

    @Test
    void refusesAProcessThatIsNotQemu() {
        int self = (int) ProcessHandle.current().pid();

        assertThatThrownBy(() -> QemuDiscovery.system().discover(self, Optional.empty(), false))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("NotQemu"));
    }

    @Test
    void readsHpetCpuModelMemoryLockAndNamesFromTheRunningCommandLine() {
        try (ThrowawayGuest guest = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(1)
                .withArguments("-machine", "q35,hpet=off", "-cpu", "qemu64,+pcid,-x2apic",
                        "-overcommit", "mem-lock=on", "-uuid", "6d3e1d4c-27a1-4a4b-9f0e-2f8a0b1c2d3e"))) {
            QemuCommandLine cmd = QemuDiscovery.system().discover(guest.pid(), Optional.empty(), false).commandLine();

            assertThat(cmd.name()).contains("kvmtune-throwaway");
            assertThat(cmd.debugThreads()).isTrue();
            assertThat(cmd.machineType()).contains("q35");
            assertThat(cmd.hpet()).contains(false);
            assertThat(cmd.cpuModel()).contains("qemu64");
            assertThat(cmd.cpuFeatures()).containsExactly(new CpuFeature("pcid", "require"), new CpuFeature("x2apic", "disable"));
            assertThat(cmd.memLock()).isTrue();
            assertThat(cmd.uuid()).contains("6d3e1d4c-27a1-4a4b-9f0e-2f8a0b1c2d3e");
            assertThat(cmd.qmpSockets()).contains(guest.qmpSocket());
            assertThat(ProcFs.system().status(guest.pid()).orElseThrow().vmLckKb().orElseThrow())
                    .as("mem-lock=on really locked the guest's memory").isGreaterThanOrEqualTo(64 * 1024);
        }
    }

    @Test
    void closingStopsQemuAndRemovesItsDirectory() {
        ThrowawayGuest guest = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(1));
        Path directory = guest.qmpSocket().getParent();
        assertThat(guest.process().isAlive()).isTrue();

        guest.close();
        guest.close();

        assertThat(guest.process().isAlive()).isFalse();
        assertThat(directory).doesNotExist();
        assertThat(ProcFs.system().taskIds(guest.pid())).as("reaped, not a zombie").isEmpty();
    }

    @Test
    void tcgRunsOneThreadPerVcpuLikeKvm() {
        try (ThrowawayGuest guest = ThrowawayGuest.start(FOUR_VCPUS.withAccelerator(ThrowawayGuest.Accelerator.TCG))) {
            DiscoveredGuest found = QemuDiscovery.system().discover(guest.pid(), Optional.of(guest.qmpSocket()), false);

            assertThat(found.guest().vcpus()).extracting(QemuThread::comm)
                    .containsExactly("CPU 0/TCG", "CPU 1/TCG", "CPU 2/TCG", "CPU 3/TCG");
            assertThat(List.copyOf(found.sources())).hasSize(2);
        }
    }
}
