package io.kvmtune.cli.hook;

import io.kvmtune.core.apply.PreparedDomains;
import static io.kvmtune.core.apply.LibvirtTestDomain.virsh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.cli.ConfigLocation;
import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ThrowawayGuest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the host's real libvirtd: {@code kvmtune hook install} from this checkout,
 * the daemon restarted so that it registers hooks, a domain carrying kvmtune metadata started
 * (paused, so its SCHED_FIFO vCPU runs no guest code), every vCPU and emulator thread checked in
 * /proc, the domain destroyed, the claim and the realtime settings checked gone, the domain
 * undefined; libvirt's hooks directory and /etc/kvmtune are put back exactly as found.
 *
 * <p>The hook runs {@code ./kvmtune} of this checkout with libvirt's minimal environment, which
 * reads the host configuration from its default place, {@code /etc/kvmtune/kvmtune.conf}: the
 * test writes one that fits this host (first CPU shared, last CPU dedicated) for its duration.
 * The domain has no {@code <memoryBacking><locked/>}: libvirt cannot raise RLIMIT_MEMLOCK in
 * containers without CAP_SYS_RESOURCE, so the apply reports the unlocked memory as a warning.
 */
class LibvirtHookIT {

    private static final Path HOOKS = HookInstaller.DEFAULT_HOOKS_DIR;
    private static final Path ETC_KVMTUNE = ConfigLocation.KVMTUNE_CONF.getParent();

    @TempDir
    Path dir;

    private Path checkout;
    private Path startLibvirtd;
    private int shared;
    private int dedicated;
    private DirectorySnapshot hooksBefore;
    private DirectorySnapshot etcBefore;
    private DirectorySnapshot cacheBefore;
    private boolean hadCopy;
    private boolean daemonHadHooks;
    private final List<String> domains = new ArrayList<>();

    /** Installs the hook of this checkout with a host configuration for this host, and restarts libvirtd. */
    @BeforeEach
    void installHook() throws Exception {
        checkout = checkout();
        startLibvirtd = checkout.resolve("scripts/start-libvirtd");
        assumeTrue(isRoot(), "needs root: installs a libvirt hook and restarts libvirtd");
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        assumeTrue(Files.isRegularFile(checkout.resolve("launcher/target/kvmtune.jar")),
                "the launcher jar is not built (run the package phase first)");
        assumeTrue(LibvirtTestDomain.libvirtAvailable(startLibvirtd), "libvirtd does not answer and cannot be started");
        CpuSet online = CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
        assumeTrue(online.size() >= 2, "needs at least 2 online CPUs: one shared, one dedicated");
        shared = online.first();
        dedicated = online.last();

        hooksBefore = DirectorySnapshot.of(HOOKS);
        etcBefore = DirectorySnapshot.of(ETC_KVMTUNE);
        // The copy's launcher keeps its AOT cache there.
        cacheBefore = DirectorySnapshot.of(Path.of("/var/cache/kvmtune"));
        hadCopy = Files.exists(DistributionCopy.DEFAULT_DIR);
        daemonHadHooks = hasExecutableHook();
        Files.createDirectories(ETC_KVMTUNE);
        // This machine kind cannot start a domain with <locked/> (no CAP_SYS_RESOURCE): let that one through.
        writeConfig("[hook]\nstart_settings_warn_only = locked_memory\n");
        Run install = run(List.of(checkout.resolve("kvmtune").toString(), "hook", "install"));
        assertThat(install.status()).as(install.output()).isZero();
        // A copy outside the checkout: cleaning or moving the checkout must not fail guests' starts.
        assertThat(Files.readString(HOOKS.resolve("qemu.d/50-kvmtune")))
                .contains(DistributionCopy.DEFAULT_DIR.resolve("bin/kvmtune").toString())
                .doesNotContain(checkout.toString());
        restartLibvirtd();
    }

    /**
     * The host configuration: the guest CPU is a named model KVM offers in full on any x86 host
     * (Nova's start-up rules refuse one it does not; QEMU under nested KVM cannot start
     * host-model's: MSR 0x10a), then {@code more}.
     */
    private void writeConfig(String more) throws IOException {
        Files.writeString(ConfigLocation.KVMTUNE_CONF, "[compute]\ncpu_shared_set = " + shared
                + "\ncpu_dedicated_set = " + dedicated + "\n" + LibvirtTestDomain.libvirtSection() + more);
    }

    private void restartLibvirtd() throws Exception {
        Run restart = run(List.of(startLibvirtd.toString(), "--restart"));
        assertThat(restart.status()).as(restart.output()).isZero();
    }

    /** Every domain destroyed and undefined, the hook uninstalled, libvirt's hooks and /etc/kvmtune as found. */
    @AfterEach
    void uninstallHook() throws Exception {
        if (hooksBefore == null) {
            return;
        }
        for (String name : domains) {
            virsh("destroy", name);
            virsh("undefine", name);
        }
        run(List.of(checkout.resolve("kvmtune").toString(), "hook", "uninstall"));
        hooksBefore.restore();
        etcBefore.restore();
        cacheBefore.restore();
        if (!daemonHadHooks) {
            run(List.of(startLibvirtd.toString(), "--restart")); // so that the daemon forgets the hook again
        }
        assertThat(hooksBefore.unchanged()).as("libvirt's hooks directory is as it was").isTrue();
        assertThat(etcBefore.unchanged()).as("/etc/kvmtune is as it was").isTrue();
        assertThat(Files.exists(DistributionCopy.DEFAULT_DIR)).as("hook uninstall removes the copy").isEqualTo(hadCopy);
    }

    private String define(String shortName, String xml) throws IOException {
        String name = "kvmtune-hook-it-" + ProcessHandle.current().pid() + "-" + shortName;
        domains.add(name);
        Path file = Files.writeString(dir.resolve(name + ".xml"), xml.replace("@NAME@", name));
        LibvirtTestDomain.Result defined = virsh("define", file.toString());
        assertThat(defined.exitCode()).as(defined.output()).isZero();
        return name;
    }

    private static int pidOf(String name) throws IOException {
        return Integer.parseInt(Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).strip());
    }

    private static TaskState thread(int pid, String comm) throws IOException {
        return TaskState.all(pid).stream().filter(t -> t.comm().equals(comm)).findFirst()
                .orElseThrow(() -> new AssertionError("QEMU pid " + pid + " has no thread " + comm));
    }

    @Test
    void aDomainWithKvmtuneMetadataIsTunedAtStartAndReleasedAtStop() throws Exception {
        String uuid = UUID.randomUUID().toString();
        String name = define("rt", domainXml("@NAME@", uuid));
        LibvirtTestDomain.Result started = virsh("start", name, "--paused");
        assertThat(started.exitCode()).as("virsh start: " + started.output()).isZero();

        int pid = pidOf(name);
        List<TaskState> tasks = TaskState.all(pid);
        assertThat(tasks).extracting(TaskState::comm).contains(LibvirtTestDomain.vcpuThreadName(0), LibvirtTestDomain.vcpuThreadName(1));
        for (TaskState t : tasks) {
            if (t.comm().equals(LibvirtTestDomain.vcpuThreadName(1))) {
                assertThat(t.cpusAllowed()).as(t.toString()).isEqualTo(CpuSet.of(dedicated));
                assertThat(t.policy()).as(t.toString()).isEqualTo(TaskState.SCHED_FIFO);
                assertThat(t.rtPriority()).as(t.toString()).isEqualTo(1);
            } else {
                // vCPU 0 and every emulator thread: the shared set, SCHED_OTHER.
                assertThat(t.cpusAllowed()).as(t.toString()).isEqualTo(CpuSet.of(shared));
                assertThat(t.policy()).as(t.toString()).isEqualTo(TaskState.SCHED_OTHER);
            }
        }
        Claim claim = claimOf(uuid).orElseThrow();
        assertThat(claim.pcpus()).isEqualTo(CpuSet.of(dedicated));
        assertThat(claim.process()).map(p -> p.tid()).contains(pid);
        assertThat(new RecordStore(RecordStore.DEFAULT_DIR).file(pid)).exists();

        LibvirtTestDomain.Result destroyed = virsh("destroy", name);
        assertThat(destroyed.exitCode()).as(destroyed.output()).isZero();
        assertThat(claimOf(uuid)).as("the claim is released at stop").isEmpty();
        assertThat(new RecordStore(RecordStore.DEFAULT_DIR).file(pid)).as("restored at stop").doesNotExist();
        assertThat(new PreparedDomains(RecordStore.DEFAULT_DIR.resolve("domains")).load(uuid)).isEmpty();
        assertThat(virsh("undefine", name).exitCode()).isZero();
    }

    /**
     * Issue 13, items 1 and 2 through the hook: a domain that allows vCPU hotplug starts tuned
     * (planned for its maximum of 2, applied to the one vCPU it starts with); the vCPU plugged in
     * later is tuned by the {@code reconnect} hook when libvirtd restarts.
     */
    @Test
    void aHotplugDomainStartsTunedAndReconnectTunesTheVcpuPluggedInSince() throws Exception {
        String uuid = UUID.randomUUID().toString();
        String name = define("hot", LibvirtTestDomain.domainXml("@NAME@", "<uuid>" + uuid + "</uuid>"
                + LibvirtTestDomain.tuningMetadata("hw:cpu_policy=mixed", "hw:cpu_dedicated_mask=^0")
                + "<vcpu placement='static' current='1'>2</vcpu>" + LibvirtTestDomain.PLANNED_CPU_AND_CLOCK));
        LibvirtTestDomain.Result started = virsh("start", name, "--paused");
        assertThat(started.exitCode()).as("virsh start: " + started.output()).isZero();
        int pid = pidOf(name);
        assertThat(thread(pid, LibvirtTestDomain.vcpuThreadName(0)).cpusAllowed()).isEqualTo(CpuSet.of(shared));
        assertThat(claimOf(uuid).orElseThrow().pcpus()).as("the plugged-out vCPU's pCPU is claimed")
                .isEqualTo(CpuSet.of(dedicated));

        LibvirtTestDomain.Result plugged = virsh("setvcpus", name, "2", "--live");
        assertThat(plugged.exitCode()).as(plugged.output()).isZero();
        assertThat(thread(pid, LibvirtTestDomain.vcpuThreadName(1)).cpusAllowed()).as("not tuned yet").isNotEqualTo(CpuSet.of(dedicated));

        restartLibvirtd();

        // libvirtd answers before its reconnect threads (and their hooks) are done.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!thread(pid, LibvirtTestDomain.vcpuThreadName(1)).cpusAllowed().equals(CpuSet.of(dedicated)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(thread(pid, LibvirtTestDomain.vcpuThreadName(1)).cpusAllowed()).as("tuned by the reconnect hook").isEqualTo(CpuSet.of(dedicated));
        assertThat(thread(pid, LibvirtTestDomain.vcpuThreadName(0)).cpusAllowed()).isEqualTo(CpuSet.of(shared));
        assertThat(virsh("destroy", name).exitCode()).isZero();
        assertThat(claimOf(uuid)).isEmpty();
        assertThat(new RecordStore(RecordStore.DEFAULT_DIR).file(pid)).as("restored at stop").doesNotExist();
    }

    /**
     * Issue 13, item 3 through the hook: a realtime guest B already running (tuned by
     * {@code kvmtune apply --claims none}, since this host has one dedicated pCPU) holds all the
     * realtime runtime; realtime guest A started through the hook shares it (before, its
     * {@code started} hook failed: no runtime free), and A's {@code stopped} hook gives its share
     * back to B. At the end /machine has its runtime from before.
     */
    @Test
    void aSecondRealtimeGuestStartsThroughTheHookAndSharesTheRealtimeRuntime() throws Exception {
        String b = define("rt-b", domainXml("@NAME@", UUID.randomUUID().toString())
                .replaceAll("(?s)<metadata>.*</metadata>", ""));
        assertThat(virsh("start", b, "--paused").exitCode()).isZero();
        long machineBefore = rtRuntime("machine");
        Run applied = run(List.of(checkout.resolve("kvmtune").toString(), "apply", "--domain", b, "--claims", "none",
                "--flavor-spec", "hw:cpu_policy=mixed", "--flavor-spec", "hw:cpu_realtime=yes",
                "--flavor-spec", "hw:cpu_realtime_mask=^0"));
        assertThat(applied.status()).as(applied.output()).isZero();
        long root = rtRuntime("");
        assertThat(vcpuRuntime(b, 1)).isEqualTo(root);

        String uuid = UUID.randomUUID().toString();
        String a = define("rt-a", domainXml("@NAME@", uuid));
        LibvirtTestDomain.Result started = virsh("start", a, "--paused");
        assertThat(started.exitCode()).as("virsh start: " + started.output()).isZero();
        for (String name : List.of(a, b)) {
            TaskState vcpu1 = thread(pidOf(name), LibvirtTestDomain.vcpuThreadName(1));
            assertThat(vcpu1.policy()).as(name + " " + vcpu1).isEqualTo(TaskState.SCHED_FIFO);
            assertThat(vcpu1.rtPriority()).isEqualTo(1);
            assertThat(vcpuRuntime(name, 1)).as(name).isEqualTo(root / 2);
        }

        assertThat(virsh("destroy", a).exitCode()).isZero();
        assertThat(vcpuRuntime(b, 1)).as("A's share back to B at A's stop").isEqualTo(root);
        assertThat(thread(pidOf(b), LibvirtTestDomain.vcpuThreadName(1)).policy()).isEqualTo(TaskState.SCHED_FIFO);

        Run restored = run(List.of(checkout.resolve("kvmtune").toString(), "restore", "--domain", b));
        assertThat(restored.status()).as(restored.output()).isZero();
        assertThat(rtRuntime("machine")).as("/machine as before B").isEqualTo(machineBefore);
    }

    /**
     * Issue 13, item 4: the settings libvirt starts QEMU with (HPET, CPU, locked memory) come from
     * the domain XML, which a hook cannot change; a domain whose XML differs from the plan is
     * refused at {@code prepare}, naming each difference and the fix, and claims nothing. (Nova
     * plans an HPET for KVM guests only: under TCG the clock is no difference.)
     */
    @Test
    void aDomainWhoseXmlWouldStartQemuOtherwiseThanThePlanIsRefusedAtPrepare() throws Exception {
        writeConfig("");
        String uuid = UUID.randomUUID().toString();
        String name = define("unset", domainXml("@NAME@", uuid).replace(LibvirtTestDomain.PLANNED_CPU_AND_CLOCK, ""));

        LibvirtTestDomain.Result started = virsh("start", name, "--paused");

        assertThat(started.exitCode()).as(started.output()).isNotZero();
        assertThat(started.output()).contains("StartSettingsDiffer")
                .contains("cpu: the plan says model pentium3, the domain XML says qemu64")
                .contains("locked memory: the plan locks guest memory")
                .contains("kvmtune xml --domain-xml FILE");
        if (LibvirtTestDomain.domainType().equals("kvm")) {
            assertThat(started.output()).contains("hpet: the plan says present=no, the domain XML has no <timer name='hpet'>");
        }
        assertThat(claimOf(uuid)).as("a refused start claims nothing").isEmpty();
        assertThat(Path.of("/run/libvirt/qemu/" + name + ".pid")).doesNotExist();
    }

    private static long rtRuntime(String group) throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/cpu").resolve(group).resolve("cpu.rt_runtime_us"))
                .strip());
    }

    /** cpu.rt_runtime_us of vCPU {@code index}'s libvirt group of the running domain {@code name}. */
    private static long vcpuRuntime(String name, int index) throws IOException {
        String line = Files.readAllLines(Path.of("/proc/" + pidOf(name) + "/cgroup")).stream()
                .filter(l -> l.matches("\\d+:[^:]*\\bcpu\\b[^:]*:.*")).findFirst().orElseThrow();
        String emulator = line.substring(line.lastIndexOf(':') + 1);
        return rtRuntime(emulator.substring(1, emulator.lastIndexOf('/')) + "/vcpu" + index);
    }

    /** A realtime guest (vCPU 1 of 2 FIFO on the dedicated pCPU) whose XML carries what the plan decides at start. */
    private static String domainXml(String name, String uuid) {
        return LibvirtTestDomain.domainXml(name, "<uuid>" + uuid + "</uuid>"
                + LibvirtTestDomain.tuningMetadata("hw:cpu_policy=mixed", "hw:cpu_realtime=yes", "hw:cpu_realtime_mask=^0")
                + "<vcpu placement='static'>2</vcpu>" + LibvirtTestDomain.PLANNED_CPU_AND_CLOCK);
    }

    private static Optional<Claim> claimOf(String uuid) {
        return ClaimsLedger.at(ClaimsLedger.DEFAULT_PATH).read().stream().filter(c -> c.domainUuid().equals(uuid)).findFirst();
    }

    private static boolean hasExecutableHook() throws IOException {
        if (Files.isExecutable(HOOKS.resolve("qemu")) && Files.isRegularFile(HOOKS.resolve("qemu"))) {
            return true;
        }
        if (!Files.isDirectory(HOOKS.resolve("qemu.d"))) {
            return false;
        }
        try (Stream<Path> files = Files.list(HOOKS.resolve("qemu.d"))) {
            return files.anyMatch(p -> Files.isRegularFile(p) && Files.isExecutable(p));
        }
    }

    /** The repository root: the directory holding the ./kvmtune script, above the module's directory. */
    private static Path checkout() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("kvmtune")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout with ./kvmtune above " + Path.of("").toAbsolutePath());
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    }

    private record Run(int status, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(command + " finished").isTrue();
            return new Run(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
