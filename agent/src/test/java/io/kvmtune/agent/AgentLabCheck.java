package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.apply.TestGuests;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.SchedPolicy;
import io.kvmtune.linux.Scheduling;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run inside the kernel lab ({@link AgentKernelLabIT}), never on the build host: the agent, in this
 * JVM, tunes a new QEMU's vCPU threads as the kernel's process events name them (the apply is
 * logged with the trigger {@code birth}, not found later by a scan or a retry), and cleans up its
 * record and lock when the QEMU is killed. The lab's QEMU is TCG inside TCG, so the times are
 * printed, not held to the host's goals.
 */
class AgentLabCheck {

    private static final String UUID = "1ab0c0de-0016-4e8e-9a51-0f6a5e2b7c16";

    @TempDir
    Path dir;

    @Test
    void aNewQemusVcpusAreTunedAtBirthAndItsStateIsCleanedUpAtExit() throws Exception {
        assumeTrue(Boolean.getBoolean("kvmtune.lab"), "runs in the kernel lab only (AgentKernelLabIT)");
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        // vCPU 0 on CPU 2 under SCHED_OTHER, vCPU 1 on CPU 3 under fifo:1 (paused: it never runs), emulator on 2
        TuningPlan plan = TestGuests.realtimePlanOn(2, CpuSet.of(2, 3), CpuSet.of(2));
        new PreparedDomains(dir.resolve("domains")).save(new PreparedDomain(UUID, "lab-guest", plan, Optional.empty()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Agent agent = Agent.start(new AgentSettings(Optional.empty(), DriftMode.REPAIR, HotplugRuntime.AHEAD, AgentSettings.DEFAULT_EVENT_PRIORITY, Duration.ofMillis(200), dir,
                dir.resolve("libvirt"), Path.of("/proc"), dir.resolve("claims.json")),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        Thread loop = Thread.ofPlatform().name("agent-under-test").start(agent::run);
        try (ThrowawayGuest qemu = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(2)
                .withArguments("-uuid", UUID))) {
            int pid = qemu.pid();
            Await.until("both vCPUs as planned", () -> {
                List<Integer> vcpus = AgentQemuIT.vcpuTids(pid);
                return vcpus.size() == 2 && Affinity.get(vcpus.get(0)).equals(CpuSet.of(2).toBitSet())
                        && Affinity.get(vcpus.get(1)).equals(CpuSet.of(3).toBitSet())
                        && Scheduling.get(vcpus.get(0)).policy() == SchedPolicy.OTHER
                        && Scheduling.get(vcpus.get(1)).policy() == SchedPolicy.FIFO;
            });
            int vcpu1 = AgentQemuIT.vcpuTids(pid).get(1);
            String text = log.toString(StandardCharsets.UTF_8);
            assertThat(text).as("vCPU 1 tuned from its comm event").containsPattern(
                    "tuned (.*, )?vcpu1 tid " + vcpu1 + "(, .*)? of guest lab-guest \\(birth\\)");
            assertThat(text).doesNotContain("(scan)").doesNotContain("(retry)");
            assertThat(new RecordStore(dir).load(pid)).isPresent();

            qemu.process().destroyForcibly();
            long killedAt = System.nanoTime();
            Await.until("the record and lock of the killed QEMU gone", () -> !Files.exists(new RecordStore(dir).file(pid))
                    && !Files.exists(dir.resolve("qemu-" + pid + ".lock")) && agent.status().guests().isEmpty());
            System.out.printf("lab: cleaned up %d ms after SIGKILL%n", (System.nanoTime() - killedAt) / 1_000_000);
        } finally {
            agent.stop();
            loop.join(10_000);
            System.out.print(log.toString(StandardCharsets.UTF_8));
        }
    }
}
