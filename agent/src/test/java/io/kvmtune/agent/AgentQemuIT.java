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
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.ProcConnector;
import io.kvmtune.linux.SchedAttr;
import io.kvmtune.linux.SchedPolicy;
import io.kvmtune.linux.Scheduling;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real paused QEMU (KVM when /dev/kvm opens, else TCG) started after the agent,
 * with a plan kept for its UUID as the libvirt prepare hook keeps it: the vCPU threads are tuned as
 * they are born, a hand-made change is found and repaired, and a QEMU killed with SIGKILL leaves no
 * record or lock behind. The agent's state lives in a temporary directory; the QEMU is the test's
 * own and is killed at the end.
 */
class AgentQemuIT {

    private static final String UUID = "6f1d8a52-3c07-4e8e-9a51-0f6a5e2b7c11";

    @TempDir
    Path dir;

    private Agent agent;
    private Thread loop;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void requirements() {
        requireQemuAndTheConnector();
    }

    /** Skips the test, saying why, without QEMU or where the process events connector cannot be opened (not root). */
    static void requireQemuAndTheConnector() {
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        try {
            ProcConnector.open(Duration.ofMillis(10)).close();
        } catch (LinuxException e) {
            assumeTrue(false, "the process events connector cannot be opened here: " + e.getMessage());
        }
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null) {
            agent.stop();
            loop.join(5_000);
        }
        System.out.print(log.toString(StandardCharsets.UTF_8));
    }

    private void startAgent(DriftMode drift) {
        AgentSettings settings = new AgentSettings(Optional.of(new java.net.InetSocketAddress("127.0.0.1", 0)), drift,
                HotplugRuntime.AHEAD, AgentSettings.DEFAULT_EVENT_PRIORITY, Duration.ofMillis(100), dir, dir.resolve("libvirt"), Path.of("/proc"), dir.resolve("claims.json"));
        agent = Agent.start(settings, new PrintStream(log, true, StandardCharsets.UTF_8));
        loop = Thread.ofPlatform().name("agent-under-test").start(agent::run);
    }

    /**
     * The agent's event thread (this test's {@code agent-under-test}) runs SCHED_FIFO at the
     * default {@code event_priority} where realtime tasks are throttled, ordinary otherwise.
     */
    private void assertEventThreadScheduling() throws IOException {
        int tid = -1;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                // the kernel keeps 15 characters of a thread's name
                if (Files.readString(task.resolve("comm")).strip().equals("agent-under-tes")) {
                    tid = Integer.parseInt(task.getFileName().toString());
                }
            }
        }
        assertThat(tid).as("the agent's event thread").isPositive();
        SchedAttr now = Scheduling.get(tid);
        if (RealtimeThrottling.inForce(Path.of("/proc"))) {
            assertThat(now.policy()).isEqualTo(SchedPolicy.FIFO);
            assertThat(now.priority()).isEqualTo(AgentSettings.DEFAULT_EVENT_PRIORITY);
            assertThat(log.toString(StandardCharsets.UTF_8)).contains(", event thread fifo:1,");
        } else {
            assertThat(now.policy()).isEqualTo(SchedPolicy.OTHER);
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("realtime throttling is off");
        }
    }

    @Test
    void vcpusOfAQemuWithAKeptPlanAreTunedAtBirthKeptTunedAndCleanedUpAtExit() throws Exception {
        // vCPU 0 on pCPU 0 under SCHED_OTHER, vCPU 1 on pCPU 1 under fifo:1; the paused vCPUs never run
        TuningPlan plan = TestGuests.realtimePlanOn(2, CpuSet.of(0, 1), CpuSet.of(0, 1));
        new PreparedDomains(dir.resolve("domains")).save(new PreparedDomain(UUID, "agent-it", plan, Optional.empty()));
        startAgent(DriftMode.REPAIR);

        try (ThrowawayGuest qemu = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(2)
                .withArguments("-uuid", UUID))) {
            int pid = qemu.pid();
            Await.until("both vCPUs tuned", () -> vcpuTids(pid).size() == 2 && agent.status().guests().stream()
                    .anyMatch(g -> g.pid() == pid && g.threads().stream().filter(t -> t.role().startsWith("vcpu")).count() == 2));
            List<Integer> vcpus = vcpuTids(pid);
            assertThat(Affinity.get(vcpus.get(0))).isEqualTo(bits(0));
            assertThat(Affinity.get(vcpus.get(1))).isEqualTo(bits(1));
            assertThat(Scheduling.get(vcpus.get(1)).policy()).isEqualTo(SchedPolicy.FIFO);
            assertThat(Scheduling.get(vcpus.get(0)).policy()).isEqualTo(SchedPolicy.OTHER);
            assertThat(new RecordStore(dir).load(pid)).isPresent();
            assertEventThreadScheduling();

            // kvmtune agent status: over a root-only UNIX socket, JSON and table
            Path socket = dir.resolve("agent.sock");
            assertThat(java.nio.file.Files.getPosixFilePermissions(socket)).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            String json = StatusClient.status(socket);
            assertThat(io.kvmtune.core.json.Json.parseObject(json).objects("guests")).singleElement()
                    .satisfies(g -> assertThat(g.string("name")).isEqualTo("agent-it"));
            assertThat(AgentStatusTable.render(json)).contains("agent-it")
                    .contains("CPU 1/" + qemu.accelerator()).contains("fifo:1")
                    .contains("last drift: none");

            String metrics = scrape();
            assertThat(metrics).contains("kvmtune_vcpu_info{guest=\"agent-it\",pcpus=\"1\",policy=\"fifo\",priority=\"1\",tid=\""
                    + vcpus.get(1) + "\",vcpu=\"1\"} 1");
            assertThat(metrics).containsPattern("kvmtune_agent_untuned_window_seconds_count\\{role=\"vcpu\"} 2");
            assertThat(metrics).contains("kvmtune_agent_threads_tuned{guest=\"agent-it\",role=\"vcpu\"} 2");

            // while the guest starts, a change (libvirt moving a thread between cpusets resets its affinity on
            // cgroup v1) is applied again within milliseconds, and is no drift
            Affinity.set(vcpus.get(0), bits(0, 1));
            Await.until("the change while starting undone", () -> Affinity.get(vcpus.get(0)).equals(bits(0)));
            assertThat(agent.status().counters()).containsEntry("drift_events", 0L);

            // once the guest has settled (changes while it starts are the start's own, re-applied at once,
            // not drift), someone moves vCPU 1 by hand: found, logged, counted and put back
            Thread.sleep(Agent.SETTLE.toMillis() + 200);
            Affinity.set(vcpus.get(1), bits(0, 1));
            Await.until("the drift repaired", () -> Affinity.get(vcpus.get(1)).equals(bits(1))
                    && agent.status().counters().getOrDefault("repairs", 0L) >= 1);
            assertThat(agent.status().lastDrift()).get().extracting(Drift::kinds).isEqualTo(List.of("affinity"));
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("drift: guest agent-it vcpu1 tid " + vcpus.get(1)
                    + ": affinity 0-1 (planned 1)");

            List<String> qemuTasks;
            try (var tasks = Files.list(Path.of("/proc", Integer.toString(pid), "task"))) {
                qemuTasks = tasks.map(t -> "/proc/" + t.getFileName() + "/").toList();
            }
            assertThat(openFilesUnder(qemuTasks)).as("the agent holds its tuned threads' stat open").isNotEmpty();
            long killedAt = System.nanoTime();
            qemu.process().destroyForcibly();
            Await.until("the record and lock of the killed QEMU gone", () -> !Files.exists(new RecordStore(dir).file(pid))
                    && !Files.exists(dir.resolve("qemu-" + pid + ".lock")));
            long cleanedMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(cleanedMs).as("ms from SIGKILL to clean state").isLessThan(1000);
            assertThat(agent.status().guests()).isEmpty();
            // the pins are raw descriptors, which no cleaner closes: each is closed as its thread is forgotten
            assertThat(openFilesUnder(qemuTasks)).as("descriptors left open on the killed QEMU's threads").isEmpty();
        }
    }

    /** What this JVM's open descriptors name below any of {@code prefixes} ({@code /proc/<tid>/}). */
    private static List<String> openFilesUnder(List<String> prefixes) throws IOException {
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (prefixes.stream().anyMatch(target::startsWith)) {
                        open.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one closed since it was listed
                }
            }
        }
        return open;
    }

    @Test
    void inReportModeDriftIsCountedOnceAndLeftAsItIs() throws Exception {
        TuningPlan plan = TestGuests.realtimePlanOn(2, CpuSet.of(0, 1), CpuSet.of(0, 1));
        new PreparedDomains(dir.resolve("domains")).save(new PreparedDomain(UUID, "agent-it", plan, Optional.empty()));
        startAgent(DriftMode.REPORT);
        try (ThrowawayGuest qemu = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(2)
                .withArguments("-uuid", UUID))) {
            int pid = qemu.pid();
            Await.until("vCPU 0 tuned", () -> vcpuTids(pid).size() == 2
                    && Affinity.get(vcpuTids(pid).getFirst()).equals(bits(0)));
            int tid = vcpuTids(pid).getFirst();
            Thread.sleep(Agent.SETTLE.toMillis() + 200);
            Affinity.set(tid, bits(0, 1));
            Await.until("the drift counted", () -> agent.status().counters().getOrDefault("drift_events", 0L) == 1);
            Thread.sleep(500);
            assertThat(agent.status().counters()).containsEntry("drift_events", 1L).containsEntry("repairs", 0L);
            assertThat(Affinity.get(tid)).isEqualTo(bits(0, 1));
        }
    }

    static List<Integer> vcpuTids(int pid) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.map(t -> Integer.parseInt(t.getFileName().toString())).filter(tid -> comm(pid, tid).startsWith("CPU "))
                    .sorted((a, b) -> comm(pid, a).compareTo(comm(pid, b))).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static String comm(int pid, int tid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/comm")).strip();
        } catch (Exception e) {
            return "";
        }
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + agent.metricsPort().orElseThrow() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static BitSet bits(int... cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) {
            b.set(c);
        }
        return b;
    }
}
