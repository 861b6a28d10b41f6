package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.apply.StaleState;
import io.kvmtune.core.apply.TestGuests;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.NativeAccess;
import io.kvmtune.linux.ProcConnector;
import io.kvmtune.linux.SchedAttr;
import io.kvmtune.linux.SchedPolicy;
import io.kvmtune.linux.Scheduling;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent with the host's real libvirtd and a real domain (no hooks installed: the agent alone).
 *
 * <p>A realtime guest started through libvirt on this host kind (cgroup v1 with realtime group
 * scheduling): its realtime vCPU is tuned at its birth, before libvirt placed it, libvirt's start
 * succeeds, and once libvirt placed the vCPUs the emulator's cpuset is narrowed and the realtime
 * runtime held ahead of libvirt in {@code emulator} is given back. A realtime vCPU plugged in
 * with {@code virsh setvcpus --live} is tuned without any command, with its runtime held since the
 * guest started ({@code hotplug_runtime = ahead}) or shared anew when it is plugged in
 * ({@code on_plug}); libvirt's plug, which places a thread the agent made SCHED_FIFO, succeeds,
 * and libvirt's placement of it stands.
 *
 * <p>libvirtd killed with SIGKILL while a guest the agent tuned runs, then started again with
 * {@code scripts/start-libvirtd}, on the host's real libvirtd: the QEMU lives on, so the agent keeps
 * it as planned and cleans up nothing; it still repairs drift; and when the guest is destroyed
 * through the restarted libvirtd, its record, lock and the realtime runtime its vCPU group got are
 * given back by the agent alone (no release hook is installed). The agent's state lives in a
 * temporary directory, with the guest's plan kept for its UUID as the prepare hook keeps it.
 * libvirtd is left running, as the test found it (or started it).
 */
class AgentLibvirtIT {

    private static final Path START_LIBVIRTD = Path.of("../scripts/start-libvirtd").toAbsolutePath().normalize();
    private static final Path CGROUP_CPU = Path.of("/sys/fs/cgroup/cpu");
    private static final Path LIBVIRTD_PID = Path.of("/run/libvirtd.pid");

    @TempDir
    Path dir;

    private Agent agent;
    private Thread loop;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private LibvirtTestDomain domain;
    /** The guest's shared and dedicated CPU: the first and last online one. */
    private int shared;
    private int dedicated;

    @BeforeEach
    void requirements() {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
        assumeTrue(NativeAccess.isEnabled(), "native access is off: run with " + NativeAccess.enablingFlag());
        assumeTrue(Files.exists(CGROUP_CPU.resolve("cpu.rt_runtime_us")),
                "needs the cgroup v1 cpu controller with CONFIG_RT_GROUP_SCHED (cpu.rt_runtime_us)");
        try {
            ProcConnector.open(Duration.ofMillis(10)).close();
        } catch (LinuxException e) {
            assumeTrue(false, "the process events connector cannot be opened here: " + e.getMessage());
        }
        assumeTrue(LibvirtTestDomain.libvirtAvailable(START_LIBVIRTD), "libvirtd is not running and "
                + START_LIBVIRTD + " could not start it");
    }

    @AfterEach
    void putBack() throws Exception {
        try {
            if (domain != null) {
                domain.close();
            }
        } finally {
            startLibvirtd();
            if (agent != null) {
                agent.stop();
                loop.join(5_000);
            }
            // whatever the test did, the runtime given to libvirt's groups goes back before the state
            // directory (and the book of what was given) is deleted with the test
            StaleState.system(dir, Optional.of(dir.resolve("claims.json"))).cleanUp()
                    .forEach(c -> System.out.println("after the test: " + c));
            System.out.print(log.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTunedGuestOutlivesLibvirtdsKillAndRestartAndIsCleanedUpWhenDestroyedAfterwards() throws Exception {
        String name = "kt-agent-libvirtd-" + ProcessHandle.current().pid();
        OptionalLong machineBefore = rtRuntime("machine");
        int pid = startRealtimeGuestUnderTheAgent(name);
        BooleanSupplier asPlanned = () -> {
            List<Integer> vcpus = AgentQemuIT.vcpuTids(pid);
            return vcpus.size() == 2 && Affinity.get(vcpus.get(0)).equals(CpuSet.of(shared).toBitSet())
                    && Affinity.get(vcpus.get(1)).equals(CpuSet.of(dedicated).toBitSet())
                    && Scheduling.get(vcpus.get(0)).policy() == SchedPolicy.OTHER
                    && Scheduling.get(vcpus.get(1)).policy() == SchedPolicy.FIFO;
        };
        Await.until("both vCPUs as planned under libvirt", asPlanned);
        // past the start's close watch: from here on a change is drift
        Thread.sleep(Agent.SETTLE.toMillis() + 200);
        assertThat(new RecordStore(dir).load(pid)).isPresent();

        long libvirtd = Long.parseLong(Files.readString(LIBVIRTD_PID).strip());
        ProcessHandle daemon = ProcessHandle.of(libvirtd).orElseThrow();
        daemon.destroyForcibly();
        daemon.onExit().get(10, TimeUnit.SECONDS);
        // the agent goes on with no libvirtd for a while: the QEMU is alive, so nothing is cleaned up
        Thread.sleep(1_500);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("QEMU outlives libvirtd").contains(true);
        assertThat(asPlanned.getAsBoolean()).as("as planned with libvirtd dead").isTrue();
        assertThat(new RecordStore(dir).load(pid)).as("the record with libvirtd dead").isPresent();
        assertThat(agent.status().guests()).singleElement().satisfies(g -> assertThat(g.pid()).isEqualTo(pid));

        startLibvirtd();
        Await.until("the restarted libvirtd has reconnected to the guest",
                () -> LibvirtTestDomain.virsh("domstate", name).output().contains("paused"));
        Thread.sleep(1_000);
        assertThat(asPlanned.getAsBoolean()).as("as planned after libvirtd's restart").isTrue();
        assertThat(new RecordStore(dir).load(pid)).as("the record after libvirtd's restart").isPresent();
        assertThat(agent.status().guests()).singleElement().satisfies(g -> assertThat(g.threads().stream()
                .filter(t -> t.role().startsWith("vcpu")).count()).isEqualTo(2));
        assertThat(agent.status().counters()).as("no cleanup while the QEMU lives").containsEntry("cleanups", 0L);

        // someone takes vCPU 1's realtime policy away (its affinity cannot drift: libvirt's vcpu1 cpuset,
        // which the apply set to the planned CPU, holds it there)
        int vcpu1 = AgentQemuIT.vcpuTids(pid).get(1);
        Scheduling.set(vcpu1, SchedAttr.other(0));
        Await.until("the drift repaired after libvirtd's restart", () -> Scheduling.get(vcpu1).policy() == SchedPolicy.FIFO
                && agent.status().counters().getOrDefault("repairs", 0L) >= 1);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("drift: guest " + name + " vcpu1 tid " + vcpu1);

        long destroyedAt = System.nanoTime();
        assertThat(domain.destroy().exitCode()).isZero();
        Await.until("the record and lock of the destroyed guest gone", () -> !Files.exists(new RecordStore(dir).file(pid))
                && !Files.exists(dir.resolve("qemu-" + pid + ".lock")) && agent.status().guests().isEmpty()
                && agent.status().counters().getOrDefault("cleanups", 0L) == 1);
        System.out.printf("destroyed through the restarted libvirtd: cleaned up %d ms after virsh destroy began%n",
                (System.nanoTime() - destroyedAt) / 1_000_000);
        if (machineBefore.isPresent()) {
            assertThat(rtRuntime("machine")).as("the realtime runtime of libvirt's machine group is back").isEqualTo(machineBefore);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("guest " + name + " (QEMU pid " + pid + ") exited");
    }

    @Test
    void aRealtimeVcpuIsTunedAtItsBirthAndWhatWasHeldAheadOfLibvirtGoesBackOnceLibvirtPlacedIt() throws Exception {
        String name = "kt-agent-birth-" + ProcessHandle.current().pid();
        int pid = startRealtimeGuestUnderTheAgent(name);
        int vcpu1 = AgentQemuIT.vcpuTids(pid).get(1);
        Await.until("the start settled: libvirt placed the vCPUs, and the agent applied after it",
                () -> log.toString(StandardCharsets.UTF_8).contains("libvirt placed "));

        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).as("held ahead when QEMU started").contains("guest " + name + ": realtime runtime held ahead of libvirt in");
        assertThat(text).as("tuned as it was born, not once libvirt had placed it")
                .contains("tuned vcpu1 tid " + vcpu1 + " of guest " + name + " (birth)");
        assertThat(Scheduling.get(vcpu1).policy()).isEqualTo(SchedPolicy.FIFO);
        assertThat(Affinity.get(vcpu1)).isEqualTo(CpuSet.of(dedicated).toBitSet());
        String guestGroup = cgroupOf(pid, vcpu1, "cpu").replaceAll("/vcpu1$", "");
        assertThat(cgroupOf(pid, vcpu1, "cpu")).as("libvirt placed it").isEqualTo(guestGroup + "/vcpu1");
        assertThat(cgroupOf(pid, vcpu1, "cpuset")).isEqualTo(guestGroup + "/vcpu1");
        assertThat(rtRuntime(guestGroup.substring(1) + "/emulator")).as("emulator's runtime given back").hasValue(0);
        assertThat(rtRuntime(guestGroup.substring(1) + "/vcpu1").orElseThrow()).as("vcpu1 has what was shared").isPositive();
        assertThat(Files.readString(Path.of("/sys/fs/cgroup/cpuset" + guestGroup + "/emulator/cpuset.cpus")).strip())
                .as("emulator's cpuset narrowed once the vCPUs had left it").isEqualTo(Integer.toString(shared));
        assertThat(LibvirtTestDomain.virsh("domstate", name).output()).contains("paused");
    }

    @ParameterizedTest
    @EnumSource(HotplugRuntime.class)
    void aRealtimeVcpuPluggedInIsTunedWithoutACommandAndLibvirtsPlugSucceeds(HotplugRuntime hotplug) throws Exception {
        String name = "kt-agent-plug-" + hotplug.label() + "-" + ProcessHandle.current().pid();
        int pid = startRealtimeGuestUnderTheAgent(name, hotplug, "<vcpu placement='static' current='1'>2</vcpu>");
        String guestGroup = cgroupOf(pid, pid, "cpu").replaceAll("/emulator$", "").substring(1);
        Await.until("the start settled: libvirt placed vCPU 0", () -> Files.isDirectory(
                Path.of("/sys/fs/cgroup/cpuset", guestGroup, "vcpu0")) && AgentQemuIT.vcpuTids(pid).size() == 1
                && Affinity.get(AgentQemuIT.vcpuTids(pid).get(0)).equals(CpuSet.of(shared).toBitSet()));
        Thread.sleep(Agent.SETTLE.toMillis() + 200);
        if (hotplug == HotplugRuntime.AHEAD) {
            assertThat(log.toString(StandardCharsets.UTF_8)).as("vCPU 1's group held ahead when QEMU started")
                    .contains("guest " + name + ": realtime runtime held ahead of libvirt in cpu/" + guestGroup + "/vcpu1");
            assertThat(rtRuntime(guestGroup + "/vcpu1").orElseThrow()).as("vcpu1's runtime before the plug").isPositive();
            assertThat(rtRuntime(guestGroup + "/emulator").orElseThrow())
                    .as("emulator, where vCPU 1 will be born, keeps runtime until it is plugged in").isPositive();
        } else {
            assertThat(rtRuntime(guestGroup + "/vcpu1").orElse(0)).as("nothing held before the plug").isZero();
        }
        Path emulatorCpus = Path.of("/sys/fs/cgroup/cpuset", guestGroup, "emulator", "cpuset.cpus");
        assertThat(CpuSet.parse(Files.readString(emulatorCpus).strip()))
                .as("emulator's cpuset, where vCPU 1 will be born, allows its pCPU while it is not plugged in")
                .isEqualTo(CpuSet.of(shared, dedicated));

        LibvirtTestDomain.Result plugged = LibvirtTestDomain.virsh("setvcpus", name, "2", "--live");
        assertThat(plugged.exitCode()).as("virsh setvcpus --live: " + plugged.output()).isZero();
        Await.until("vCPU 1 plugged in and as planned", () -> {
            List<Integer> vcpus = AgentQemuIT.vcpuTids(pid);
            return vcpus.size() == 2 && Affinity.get(vcpus.get(1)).equals(CpuSet.of(dedicated).toBitSet())
                    && Scheduling.get(vcpus.get(1)).policy() == SchedPolicy.FIFO;
        });
        int vcpu1 = AgentQemuIT.vcpuTids(pid).get(1);
        Await.until("libvirt placed the plugged vCPU, and the agent applied after it",
                () -> log.toString(StandardCharsets.UTF_8).contains("libvirt placed vcpu1 tid " + vcpu1 + " "));
        // at its birth, or, when libvirt's placement (a few milliseconds after the plug) overtook the
        // apply at its birth, by the close watch of the plug once that apply rolled back; how soon
        // is benchmarks/untuned-window.sh's to measure
        String tuned = "tuned vcpu1 tid " + vcpu1 + " of guest " + name + " (";
        assertThat(log.toString(StandardCharsets.UTF_8)).as("tuned without any command")
                .containsAnyOf(tuned + "birth)", tuned + "settle)");
        assertThat(cgroupOf(pid, vcpu1, "cpu")).isEqualTo("/" + guestGroup + "/vcpu1");
        assertThat(cgroupOf(pid, vcpu1, "cpuset")).isEqualTo("/" + guestGroup + "/vcpu1");
        assertThat(rtRuntime(guestGroup + "/vcpu1").orElseThrow()).as("vcpu1 has what was shared").isPositive();
        assertThat(rtRuntime(guestGroup + "/emulator")).as("emulator's runtime given back once every vCPU is placed")
                .hasValue(0);
        assertThat(Files.readString(emulatorCpus).strip()).as("emulator's cpuset narrowed once every vCPU is placed")
                .isEqualTo(Integer.toString(shared));
        assertThat(Scheduling.get(vcpu1).policy()).isEqualTo(SchedPolicy.FIFO);
        assertThat(Affinity.get(vcpu1)).isEqualTo(CpuSet.of(dedicated).toBitSet());
    }

    /**
     * Starts the agent, then a paused 2-vCPU libvirt domain {@code name} whose plan the agent finds
     * kept for its UUID: vCPU 0 on the shared CPU {@link #shared} under SCHED_OTHER, vCPU 1 on the
     * dedicated one {@link #dedicated} under fifo:1 (paused: it never runs).
     *
     * @return the QEMU's pid
     */
    private int startRealtimeGuestUnderTheAgent(String name) throws IOException {
        return startRealtimeGuestUnderTheAgent(name, HotplugRuntime.AHEAD, "<vcpu placement='static'>2</vcpu>");
    }

    /** As {@link #startRealtimeGuestUnderTheAgent(String)}, with the agent's {@code hotplug} and the domain's {@code vcpu} element. */
    private int startRealtimeGuestUnderTheAgent(String name, HotplugRuntime hotplug, String vcpu) throws IOException {
        CpuSet online = CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
        assumeTrue(online.size() >= 2, "needs 2 CPUs");
        shared = online.first();
        dedicated = online.last();
        TuningPlan plan = TestGuests.realtimePlanOn(2, CpuSet.of(shared, dedicated), CpuSet.of(shared));
        String uuid = UUID.randomUUID().toString();
        new PreparedDomains(dir.resolve("domains")).save(new PreparedDomain(uuid, name, plan, Optional.empty()));
        agent = Agent.start(new AgentSettings(Optional.empty(), DriftMode.REPAIR, hotplug, AgentSettings.DEFAULT_EVENT_PRIORITY, Duration.ofMillis(100), dir,
                dir.resolve("libvirt"), Path.of("/proc"), dir.resolve("claims.json")),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        loop = Thread.ofPlatform().name("agent-under-test").start(agent::run);
        domain = LibvirtTestDomain.startPaused(name, LibvirtTestDomain.domainXml(name,
                "<uuid>" + uuid + "</uuid>" + vcpu), dir);
        return domain.pid();
    }

    /** The v1 group of {@code controller} that thread {@code tid} of {@code pid} is in ({@code /machine/...}). */
    private static String cgroupOf(int pid, int tid, String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/task/" + tid + "/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (List.of(parts[1].split(",")).contains(controller)) {
                return parts[2];
            }
        }
        throw new AssertionError("thread " + tid + " is in no " + controller + " group");
    }

    /** {@code scripts/start-libvirtd}: starts libvirtd (and virtlogd) unless running; its output goes to a file. */
    private void startLibvirtd() throws Exception {
        Process p = new ProcessBuilder(START_LIBVIRTD.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("start-libvirtd.log").toFile())).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("start-libvirtd: " + Files.readString(dir.resolve("start-libvirtd.log"))).isZero();
    }

    /** {@code cpu.rt_runtime_us} of the v1 cpu group {@code relative}, when the group exists. */
    private static OptionalLong rtRuntime(String relative) {
        Path file = CGROUP_CPU.resolve(relative).resolve("cpu.rt_runtime_us");
        try {
            return Files.exists(file) ? OptionalLong.of(Long.parseLong(Files.readString(file).strip())) : OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
