package io.kvmtune.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DomainName;
import io.kvmtune.core.qemu.ProcCgroup;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuDiscovery;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.linux.NativeAccess;
import io.kvmtune.linux.SchedPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply engine on a real libvirt guest on this machine kind: cgroup v1 without systemd, with
 * CONFIG_RT_GROUP_SCHED, where libvirt's per-vCPU groups get no realtime runtime. kvmtune gives
 * them some along the chain, so SCHED_FIFO lands where libvirt's own {@code <vcpusched>} fails,
 * and gives it back on restore. Each test defines its own domain and destroys and undefines it.
 */
class ApplyLibvirtIT {

    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    /** Failsafe runs in the module directory; the script is at the repository root. */
    private static final Path START_LIBVIRTD = Path.of("../scripts/start-libvirtd").toAbsolutePath().normalize();
    private static final CpuSet HOST = ProcFs.system().status(1).orElseThrow().cpusAllowed();

    @TempDir
    Path work;

    private LibvirtTestDomain domain;
    private Applier applier;
    private final String name = "kvmtune-apply-it-" + ProcessHandle.current().pid();

    @BeforeEach
    void assumeLibvirtOnCgroupV1WithRtGroupScheduling() {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
        assumeTrue(NativeAccess.isEnabled(), "native access is off: run with " + NativeAccess.enablingFlag());
        assumeTrue(Files.exists(CGROUP.resolve("cpu/cpu.rt_runtime_us")),
                "needs the cgroup v1 cpu controller with CONFIG_RT_GROUP_SCHED (cpu.rt_runtime_us)");
        assumeTrue(LibvirtTestDomain.libvirtAvailable(START_LIBVIRTD), "libvirtd is not running and "
                + START_LIBVIRTD + " could not start it");
        applier = Applier.system(new RecordStore(work.resolve("records")));
    }

    @AfterEach
    void removeDomain() {
        if (domain != null) {
            domain.close();
        }
    }

    private QemuGuest startGuest() {
        domain = LibvirtTestDomain.startPaused(name, 4, "", work);
        return QemuDiscovery.system().discoverDomain(new DomainName(name), Optional.empty(), false).guest();
    }

    /** The v1 group of the guest (qemu-ID-NAME.libvirt-qemu) in hierarchy {@code controller}, from /proc. */
    private Path guestGroup(QemuGuest guest, String controller) {
        ProcCgroup line = ProcFs.system().cgroups(guest.pid()).orElseThrow().stream()
                .filter(c -> c.controllers().contains(controller)).findFirst().orElseThrow();
        Path emulator = CGROUP.resolve(controller).resolve(line.path().substring(1));
        assertThat(emulator.getFileName().toString()).isEqualTo("emulator");
        return emulator.getParent();
    }

    /** cpu.rt_runtime_us and cpuset.cpus of the machine group and everything below the guest's groups. */
    private Map<String, String> cgroupFiles(QemuGuest guest) {
        Map<String, String> files = new TreeMap<>();
        Path cpuGuest = guestGroup(guest, "cpu");
        read(cpuGuest.getParent().resolve("cpu.rt_runtime_us"), files);
        for (Path root : new Path[] {cpuGuest, guestGroup(guest, "cpuset")}) {
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(p -> p.getFileName().toString().equals("cpu.rt_runtime_us")
                        || p.getFileName().toString().equals("cpuset.cpus")).forEach(p -> read(p, files));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static void read(Path file, Map<String, String> into) {
        try {
            into.put(file.toString(), Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String content(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void libvirtsOwnVcpuschedFifoFailsToStartHere() {
        assertThatThrownBy(() -> LibvirtTestDomain.startPaused(name, 4,
                "<vcpusched vcpus='1-3' scheduler='fifo' priority='1'/>", work))
                .hasMessageContaining("Operation not permitted");
    }

    @Test
    void fifoLandsThroughRealtimeRuntimeAndEverythingComesBackOnRestore() {
        QemuGuest guest = startGuest();
        Map<Integer, KernelState> threadsBefore = KernelState.of(guest);
        Map<String, String> filesBefore = cgroupFiles(guest);
        TuningPlan plan = TestGuests.realtimePlanOn(4, HOST, CpuSet.of(HOST.first()));

        ApplyReport report = applier.apply(plan, guest, ApplyOptions.defaults());

        Path cpu = guestGroup(guest, "cpu");
        Path cpuset = guestGroup(guest, "cpuset");
        Map<Integer, KernelState> now = KernelState.of(guest);
        for (QemuThread t : guest.vcpus()) {
            int index = ((ThreadRole.Vcpu) t.role()).index();
            assertThat(now.get(t.tid()).sched().policy()).isEqualTo(index == 0 ? SchedPolicy.OTHER : SchedPolicy.FIFO);
            assertThat(now.get(t.tid()).cpusAllowed()).isEqualTo(plan.vcpus().get(index).pcpus());
            assertThat(CpuSet.parse(content(cpuset.resolve("vcpu" + index + "/cpuset.cpus"))))
                    .isEqualTo(plan.vcpus().get(index).pcpus());
            long runtime = Long.parseLong(content(cpu.resolve("vcpu" + index + "/cpu.rt_runtime_us")));
            assertThat(runtime).as("rt runtime of vcpu%d", index).isEqualTo(index == 0 ? 0 : runtime).isNotNegative();
            if (index > 0) {
                assertThat(runtime).isPositive();
            }
        }
        assertThat(content(cpuset.resolve("emulator/cpuset.cpus"))).isEqualTo(plan.emulator().pcpus().format());
        assertThat(report.cgroupFiles()).anyMatch(f -> f.file().name().equals("cpu.rt_runtime_us") && f.changed());
        assertThat(applier.verify(guest.pid())).isEmpty();

        RestoreReport restored = applier.restore(guest.pid());

        assertThat(restored.complete()).isTrue();
        assertThat(KernelState.of(guest)).isEqualTo(threadsBefore);
        assertThat(cgroupFiles(guest)).isEqualTo(filesBefore);
    }

    @Test
    void aCgroupWriteTheKernelRefusesRollsEverythingBack() {
        assumeTrue(HOST.size() >= 2, "needs two CPUs to narrow the guest's cpuset to one");
        QemuGuest guest = startGuest();
        // Narrow libvirt's guest group to the first CPU (children first: v1 wants child within parent),
        // so that the kernel refuses a vCPU group on the second CPU.
        Path cpuset = guestGroup(guest, "cpuset");
        String first = Integer.toString(HOST.first());
        try (Stream<Path> children = Files.list(cpuset)) {
            children.filter(Files::isDirectory).forEach(c -> write(c.resolve("cpuset.cpus"), first));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(cpuset.resolve("cpuset.cpus"), first);
        Map<Integer, KernelState> threadsBefore = KernelState.of(guest);
        Map<String, String> filesBefore = cgroupFiles(guest);

        assertThatThrownBy(() -> applier.apply(TestGuests.realtimePlanOn(4, HOST, CpuSet.of(HOST.first())), guest,
                ApplyOptions.defaults()))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    // cgroup v1 answers EACCES here, not EINVAL
                    assertThat(e).hasMessageContaining("vcpu1/cpuset.cpus: Permission denied")
                            .hasMessageContaining("the parent group allows CPUs " + first);
                    assertThat(e.rollback().complete()).isTrue();
                });
        assertThat(KernelState.of(guest)).isEqualTo(threadsBefore);
        assertThat(cgroupFiles(guest)).isEqualTo(filesBefore);
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
