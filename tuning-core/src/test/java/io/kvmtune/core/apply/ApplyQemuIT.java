package io.kvmtune.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.RestoreItem.Outcome;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuDiscovery;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.linux.NativeAccess;
import io.kvmtune.linux.SchedPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The apply engine on a real paused QEMU with 4 vCPUs (KVM when /dev/kvm works, else TCG): every
 * thread checked through the kernel, and every way of failing ends with the state from before.
 * SCHED_FIFO only lands on paused vCPU threads, which sleep.
 */
class ApplyQemuIT {

    // The CPUs this test may use: inside a cpuset partition (the kernel lab) they are fewer than PID 1's.
    private static final CpuSet HOST = ProcFs.system().status((int) ProcessHandle.current().pid()).orElseThrow().cpusAllowed();

    @TempDir
    Path records;

    private ThrowawayGuest qemu;
    private QemuGuest guest;
    private Applier applier;

    @BeforeEach
    void assumeRootAndNativeAccess() {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false),
                "changing other processes' scheduling needs root");
        assumeTrue(NativeAccess.isEnabled(), "native access is off: run with " + NativeAccess.enablingFlag());
        assumeTrue(ThrowawayGuest.binary().isPresent(),
                "qemu-system-x86_64 is not on the PATH (Debian package " + ThrowawayGuest.QEMU_PACKAGE + ")");
        applier = Applier.system(new RecordStore(records));
    }

    @AfterEach
    void stopQemu() {
        if (qemu != null) {
            qemu.close();
        }
    }

    private void start(boolean debugThreads) {
        qemu = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(4).withDebugThreads(debugThreads));
        guest = QemuDiscovery.system().discover(qemu.pid(), Optional.of(qemu.qmpSocket()), false).guest();
        assertThat(guest.vcpus()).hasSize(4);
    }

    private TuningPlan plan() {
        return TestGuests.realtimePlanOn(4, HOST, CpuSet.of(HOST.first()));
    }

    private void assertPlanInKernel(TuningPlan plan) {
        Map<Integer, KernelState> now = KernelState.of(guest);
        for (QemuThread t : guest.threads()) {
            KernelState k = now.get(t.tid());
            if (k == null) {
                continue;
            }
            if (t.role() instanceof ThreadRole.Vcpu(int index)) {
                VcpuPlacement p = plan.vcpus().get(index);
                assertThat(k.cpusAllowed()).as("Cpus_allowed_list of %s", t.comm()).isEqualTo(p.pcpus());
                assertThat(k.sched().policy()).as("policy of %s", t.comm()).isEqualTo(p.policy());
                assertThat(k.sched().priority()).as("priority of %s", t.comm()).isEqualTo(p.priority());
            } else {
                assertThat(k.cpusAllowed()).as("Cpus_allowed_list of %s", t.comm()).isEqualTo(plan.emulator().pcpus());
                assertThat(k.sched().policy()).as("policy of %s", t.comm()).isEqualTo(SchedPolicy.OTHER);
            }
        }
    }

    @ParameterizedTest(name = "debug-threads={0}")
    @ValueSource(booleans = {true, false})
    void appliesARealtimePlanAndRestoresTheExactStateBefore(boolean debugThreads) {
        start(debugThreads);
        Map<Integer, KernelState> before = KernelState.of(guest);

        ApplyReport report = applier.apply(plan(), guest, ApplyOptions.defaults().withQmpSocket(qemu.qmpSocket().toString()));

        assertThat(report.changed()).isTrue();
        assertPlanInKernel(plan());
        assertThat(applier.verify(qemu.pid())).isEmpty();
        assertThat(applier.apply(plan(), guest, ApplyOptions.defaults()).changed()).as("second apply").isFalse();

        RestoreReport restored = Applier.system(new RecordStore(records)).restore(qemu.pid());

        assertThat(restored.complete()).isTrue();
        assertThat(KernelState.of(guest)).isEqualTo(before);
        assertThat(applier.record(qemu.pid())).isEmpty();
    }

    @Test
    void aPlanNamingACpuThatDoesNotExistFailsWithEinvalAndRollsBack() {
        start(true);
        Map<Integer, KernelState> before = KernelState.of(guest);
        TuningPlan absent = TestGuests.moved(plan(), 2, 4000);

        assertThatThrownBy(() -> applier.apply(absent, guest, ApplyOptions.defaults()))
                .isInstanceOf(ApplyFailedException.class).hasMessageContaining("vcpu2").hasMessageContaining("EINVAL");
        assertThat(KernelState.of(guest)).isEqualTo(before);
        assertThat(applier.record(qemu.pid())).isEmpty();
    }

    @Test
    void qemuKilledMidApplyFailsWithEsrchAndLeavesNothingBehind() {
        start(true);
        StepObserver killQemu = step -> {
            if (step == ApplyStep.AFFINITY) {
                qemu.process().destroyForcibly();
                qemu.process().onExit().join();
            }
        };

        assertThatThrownBy(() -> applier.apply(plan(), guest, ApplyOptions.defaults().withObserver(killQemu)))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e).hasMessageContaining("ESRCH");
                    assertThat(e.rollback().complete()).isTrue();
                    assertThat(e.rollback().items()).extracting(RestoreItem::outcome).containsOnly(Outcome.GONE);
                });
        assertThat(applier.record(qemu.pid())).isEmpty();
    }

    /**
     * kvmtune killed with SIGKILL between two steps: a child JVM applies and stops at the step,
     * the test kills it, and {@code restore} from the saved record brings back the state before.
     */
    @ParameterizedTest
    @EnumSource(value = ApplyStep.class, names = {"RECORD_SAVED", "CPUSETS", "AFFINITY", "SCHEDULER"})
    void aKilledApplyIsUndoneByRestoreFromTheRecord(ApplyStep killedAfter) throws Exception {
        start(true);
        Map<Integer, KernelState> before = KernelState.of(guest);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                NativeAccess.enablingFlag(), "-cp", System.getProperty("java.class.path"),
                ApplyAndStop.class.getName(), Integer.toString(qemu.pid()), qemu.qmpSocket().toString(),
                records.toString(), killedAfter.name()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(ApplyAndStop.STOPPED + killedAfter)) {
                System.out.println("child: " + line);
            }
            assertThat(line).as("child output").isEqualTo(ApplyAndStop.STOPPED + killedAfter);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        if (killedAfter == ApplyStep.SCHEDULER) {
            assertPlanInKernel(plan());
        }

        RestoreReport restored = applier.restore(qemu.pid());

        assertThat(restored.complete()).isTrue();
        assertThat(KernelState.of(guest)).isEqualTo(before);
    }
}
