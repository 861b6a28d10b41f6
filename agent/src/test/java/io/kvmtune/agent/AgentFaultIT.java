package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.kvmtune.linux.SchedPolicy;
import io.kvmtune.linux.Scheduling;
import io.kvmtune.linux.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent killed with SIGKILL while it tunes a QEMU, then started again: the guest ends as
 * planned, its apply record still holds the state from before kvmtune touched each thread (so a
 * restore goes back to it), and no lock is left held. First at random moments around a starting
 * QEMU's applies; then at moments seen from outside to lie inside one apply, that of a running
 * {@value #MANY}-vCPU QEMU the agent finds at its start. The agent runs in a JVM of its own
 * ({@link AgentChild}); the QEMUs are the test's.
 */
class AgentFaultIT {

    private static final String UUID = "c0ffee00-1bad-4bad-8bad-00000000f417";
    private static final int ROUNDS = 8;
    private static final String MANY_UUID = "c0ffee00-1bad-4bad-8bad-00000000f418";
    /** vCPUs of the guest whose one apply is killed: enough that changing them takes milliseconds. */
    private static final int MANY = 128;
    /** Fresh guests tried per moment before the test gives up on catching the apply there. */
    private static final int ATTEMPTS = 8;

    @TempDir
    Path dir;

    @Test
    void anAgentKilledMidApplyAndStartedAgainLosesNothing() throws Exception {
        AgentQemuIT.requireQemuAndTheConnector();
        TuningPlan plan = TestGuests.realtimePlanOn(2, CpuSet.of(0, 1), CpuSet.of(0, 1));
        new PreparedDomains(dir.resolve("domains")).save(new PreparedDomain(UUID, "fault-it", plan, Optional.empty()));
        Random random = new Random(16);
        for (int round = 0; round < ROUNDS; round++) {
            Process agent = startAgent(round);
            Path log = dir.resolve("agent-" + round + ".log");
            Await.until("round " + round + ": the agent running", () -> read(log).contains("kvmtune-agent info: running"));
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
                Await.until("round " + round + ": both vCPUs as planned after the restart", () -> {
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

    /** A moment inside the agent's apply of the {@value #MANY}-vCPU guest, as seen from outside the agent. */
    private enum Moment {
        /** The agent holds the guest's lock ({@code /proc/locks}): surveying, saving the record or changing. */
        LOCK_HELD,
        /** The first vCPU's affinity is changed: the change of affinities is under way. */
        AFFINITY_UNDER_WAY,
        /** The first realtime vCPU is SCHED_FIFO: all affinities are set, the policies are under way. */
        POLICIES_UNDER_WAY
    }

    @Test
    void anAgentKilledInsideAnApplyAndStartedAgainEndsWithTheGuestWholeAsPlannedAndRestorable() throws Exception {
        AgentQemuIT.requireQemuAndTheConnector();
        // vCPU i on CPU i % 2, all but vCPU 0 fifo:1 (paused: they never run)
        TuningPlan plan = TestGuests.realtimePlanOn(MANY, CpuSet.of(0, 1), CpuSet.of(0, 1));
        new PreparedDomains(dir.resolve("domains")).save(new PreparedDomain(MANY_UUID, "fault-many", plan, Optional.empty()));
        int round = 100;
        for (Moment moment : Moment.values()) {
            boolean caught = false;
            for (int attempt = 1; attempt <= ATTEMPTS && !caught; attempt++, round++) {
                caught = killInside(moment, attempt, round, plan);
            }
            assertThat(caught).as("a SIGKILL at %s landed inside the apply within %d guests", moment, ATTEMPTS).isTrue();
        }
    }

    /**
     * Starts a {@value #MANY}-vCPU QEMU, then the agent, which applies the plan to all its vCPUs in
     * one apply as it finds the guest; SIGKILLs the agent at {@code moment}; returns whether the
     * kill landed inside that apply (the lock held, or some threads changed and some not). Either
     * way the agent is started again and must leave the guest whole: every vCPU as planned, the
     * record's states from before kvmtune, the lock free, and a restore bringing back that state.
     */
    private boolean killInside(Moment moment, int attempt, int round, TuningPlan plan) throws Exception {
        try (ThrowawayGuest qemu = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(MANY)
                .withArguments("-uuid", MANY_UUID))) {
            int pid = qemu.pid();
            Await.until("the QEMU's " + MANY + " vCPU threads", () -> vcpuTidsByIndex(pid).size() == MANY);
            List<Integer> vcpus = vcpuTidsByIndex(pid);
            List<BitSet> affinityBefore = vcpus.stream().map(Affinity::get).toList();
            Path lockFile = dir.resolve("qemu-" + pid + ".lock");
            // the agent on CPU 0 and this thread watching from CPU 1: the agent's other threads
            // (the JIT compiling after its warm-up) cannot keep this one from seeing the few
            // milliseconds the lock is held
            Process agent = startAgent(round, Optional.of(0));
            int self = Threads.currentTid();
            BitSet selfBefore = Affinity.get(self);
            Affinity.set(self, bits(1));
            boolean lockSeen = false;
            int changedAtKill;
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                int first = vcpus.get(0);
                int firstRealtime = vcpus.get(1);
                BitSet firstBefore = affinityBefore.get(0);
                while (true) {
                    boolean held = moment == Moment.LOCK_HELD && lockHeldBy(lockFile, agent.pid());
                    boolean now = switch (moment) {
                        // held for milliseconds: once the last vCPU is SCHED_FIFO the apply is over, and
                        // a kill then lands after it (an attempt that missed the moment)
                        case LOCK_HELD -> held || Scheduling.get(vcpus.getLast()).policy() == SchedPolicy.FIFO;
                        case AFFINITY_UNDER_WAY -> !Affinity.get(first).equals(firstBefore);
                        case POLICIES_UNDER_WAY -> Scheduling.get(firstRealtime).policy() == SchedPolicy.FIFO;
                    };
                    if (now) {
                        agent.destroyForcibly();
                        lockSeen = held;
                        break;
                    }
                    if (!agent.isAlive() || System.nanoTime() > deadline) {
                        throw new AssertionError("the agent never reached " + moment + "; its log: "
                                + read(dir.resolve("agent-" + round + ".log")));
                    }
                }
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // nothing else changes these paused threads: what they show now is what the kill left
                changedAtKill = 0;
                int plannedAtKill = 0;
                for (int i = 0; i < MANY; i++) {
                    ThreadStateNow s = ThreadStateNow.of(vcpus.get(i));
                    boolean planned = s.affinity().equals(bits(i % 2)) && s.policy() == (i == 0 ? SchedPolicy.OTHER : SchedPolicy.FIFO);
                    boolean before = s.affinity().equals(affinityBefore.get(i)) && s.policy() == SchedPolicy.OTHER;
                    changedAtKill += before ? 0 : 1;
                    plannedAtKill += planned ? 1 : 0;
                }
                boolean half = changedAtKill > 0 && plannedAtKill < MANY;
                boolean inside = lockSeen || half;
                System.out.printf("%s attempt %d: SIGKILL with the lock %s; at the kill %d of %d vCPUs changed, %d as planned"
                        + " (%s)%n", moment, attempt, lockSeen ? "seen held by the agent" : "not seen held", changedAtKill, MANY,
                        plannedAtKill, inside ? "inside the apply" : "after the apply");
                if (!inside) {
                    // the apply ended between what the test saw and the kill: not the moment it wanted
                    assertThat(plannedAtKill).as("a kill after the apply leaves the guest as planned").isEqualTo(MANY);
                }

                agent = startAgent(round);
                Await.until(moment + ": all " + MANY + " vCPUs as planned after the restart", () -> {
                    for (int i = 0; i < MANY; i++) {
                        if (!Affinity.get(vcpus.get(i)).equals(bits(i % 2))
                                || Scheduling.get(vcpus.get(i)).policy() != (i == 0 ? SchedPolicy.OTHER : SchedPolicy.FIFO)) {
                            return false;
                        }
                    }
                    return true;
                });
                ApplyRecord record = new RecordStore(dir).load(pid).orElseThrow();
                List<ThreadSnapshot> recorded = record.snapshot().threads().stream()
                        .filter(t -> t.role().label().startsWith("vcpu")).toList();
                assertThat(recorded).as("every vCPU in the record").hasSize(MANY);
                for (ThreadSnapshot t : recorded) {
                    int index = vcpus.indexOf(t.identity().tid());
                    assertThat(t.state().sched().policy()).as("%s: %s before kvmtune", moment, t.role().label())
                            .isEqualTo(SchedPolicy.OTHER);
                    assertThat(t.state().affinity().toBitSet()).as("%s: %s before kvmtune", moment, t.role().label())
                            .isEqualTo(affinityBefore.get(index));
                }
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                assertThat(lockHeldBy(lockFile, -1)).as("nobody holds the guest's lock").isFalse();
                assertThat(Applier.system(new RecordStore(dir)).restore(pid).complete()).isTrue();
                for (int i = 0; i < MANY; i++) {
                    assertThat(Affinity.get(vcpus.get(i))).as("vCPU %d restored", i).isEqualTo(affinityBefore.get(i));
                    assertThat(Scheduling.get(vcpus.get(i)).policy()).as("vCPU %d restored", i).isEqualTo(SchedPolicy.OTHER);
                }
                return inside;
            } finally {
                Affinity.set(self, selfBefore);
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A thread's affinity and policy, read once. */
    private record ThreadStateNow(BitSet affinity, SchedPolicy policy) {
        static ThreadStateNow of(int tid) {
            return new ThreadStateNow(Affinity.get(tid), Scheduling.get(tid).policy());
        }
    }

    /**
     * Whether a POSIX lock on {@code file} is held by process {@code pid} (any process when -1),
     * from {@code /proc/locks}: {@code 1: POSIX  ADVISORY  WRITE 4242 00:2a:1234 0 EOF}.
     */
    private static boolean lockHeldBy(Path file, long pid) {
        long inode;
        try {
            inode = (Long) Files.getAttribute(file, "unix:ino");
        } catch (java.io.IOException e) {
            return false;
        }
        for (String line : read(Path.of("/proc/locks")).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[1].equals("POSIX") && f[5].endsWith(":" + inode)
                    && (pid < 0 || f[4].equals(Long.toString(pid)))) {
                return true;
            }
        }
        return false;
    }

    /** The vCPU threads of QEMU {@code pid} in vCPU order ({@code CPU n/KVM}, or {@code CPU n/TCG} without KVM). */
    private static List<Integer> vcpuTidsByIndex(int pid) {
        java.util.TreeMap<Integer, Integer> byIndex = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                String comm = read(task.resolve("comm")).strip();
                if (comm.matches("CPU \\d+/(KVM|TCG)")) {
                    byIndex.put(Integer.parseInt(comm.substring(4, comm.indexOf('/'))), Integer.parseInt(task.getFileName().toString()));
                }
            }
        } catch (java.io.IOException e) {
            return List.of();
        }
        return List.copyOf(byIndex.values());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Process startAgent(int round) throws Exception {
        return startAgent(round, Optional.empty());
    }

    /** Starts the agent, on CPU {@code cpu} alone when given. */
    private Process startAgent(int round, Optional<Integer> cpu) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        cpu.ifPresent(c -> command.addAll(List.of("taskset", "-c", Integer.toString(c))));
        command.addAll(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), AgentChild.class.getName(), dir.toString()));
        return new ProcessBuilder(command)
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
}
