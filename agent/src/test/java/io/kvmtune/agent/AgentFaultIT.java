package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyRecord;
import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.apply.TestGuests;
import io.kvmtune.core.apply.ThreadSnapshot;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.ProcConnector;
import io.kvmtune.linux.SchedPolicy;
import io.kvmtune.linux.Scheduling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent killed with SIGKILL while it tunes a starting QEMU, at a different moment each round,
 * then started again: the guest ends as planned, its apply record still holds the state from
 * before kvmtune touched each thread (so a restore goes back to it), and no lock is left held.
 * The agent runs in a JVM of its own ({@link AgentChild}); the QEMUs are the test's.
 */
class AgentFaultIT {

    private static final String UUID = "c0ffee00-1bad-4bad-8bad-00000000f417";
    private static final int ROUNDS = 8;

    @TempDir
    Path dir;

    @Test
    void anAgentKilledMidApplyAndStartedAgainLosesNothing() throws Exception {
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        try {
            ProcConnector.open(Duration.ofMillis(10)).close();
        } catch (LinuxException e) {
            assumeTrue(false, "the process events connector cannot be opened here: " + e.getMessage());
        }
        TuningPlan plan = TestGuests.realtimePlanOn(2, CpuSet.of(0, 1), CpuSet.of(0, 1));
        new PreparedDomains(dir.resolve("domains")).save(new PreparedDomain(UUID, "fault-it", plan, Optional.empty()));
        Random random = new Random(16);
        for (int round = 0; round < ROUNDS; round++) {
            Process agent = startAgent(round);
            Path log = dir.resolve("agent-" + round + ".log");
            await("round " + round + ": the agent running", () -> read(log).contains("kvmtune-agent info: running"));
            // the kill lands somewhere in the QEMU's start: before, during or after its vCPUs are tuned
            Process doomed = agent;
            int delayMs = random.nextInt(120);
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                doomed.destroyForcibly();
            });
            try (ThrowawayGuest qemu = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(2)
                    .withArguments("-uuid", UUID))) {
                killer.join();
                agent.waitFor(30, TimeUnit.SECONDS);
                System.out.printf("round %d: SIGKILL %d ms after the QEMU was started; the agent had logged: %s%n", round,
                        delayMs, read(log).lines().filter(l -> l.contains("tuned") || l.contains("following")).toList());

                agent = startAgent(round);
                int pid = qemu.pid();
                await("round " + round + ": both vCPUs as planned after the restart", () -> {
                    List<Integer> vcpus = AgentQemuIT.vcpuTids(pid);
                    return vcpus.size() == 2 && Affinity.get(vcpus.get(0)).equals(bits(0))
                            && Affinity.get(vcpus.get(1)).equals(bits(1))
                            && Scheduling.get(vcpus.get(1)).policy() == SchedPolicy.FIFO;
                });
                ApplyRecord record = new RecordStore(dir).load(pid).orElseThrow();
                for (ThreadSnapshot t : record.snapshot().threads()) {
                    if (t.role().label().startsWith("vcpu")) {
                        // born with the main thread's placement: kvmtune never touched it before this record
                        assertThat(t.state().sched().policy()).as("round %d: %s before kvmtune", round, t.role().label())
                                .isEqualTo(SchedPolicy.OTHER);
                    }
                }
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                // nobody holds the guest's lock any more, and the record goes back to the start
                assertThat(Applier.system(new RecordStore(dir)).restore(pid).complete()).isTrue();
                List<Integer> vcpus = AgentQemuIT.vcpuTids(pid);
                assertThat(Scheduling.get(vcpus.get(1)).policy()).isEqualTo(SchedPolicy.OTHER);
            } finally {
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Process startAgent(int round) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), AgentChild.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("agent-" + round + ".log").toFile()))
                .start();
    }

    private static BitSet bits(int... cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) {
            b.set(c);
        }
        return b;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
