package io.kvmtune.packaging;

import static io.kvmtune.core.apply.LibvirtTestDomain.virsh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.cli.hook.DirectorySnapshot;
import io.kvmtune.cli.hook.TaskState;
import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.core.spec.IniConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb on this host, as an operator uses it: {@code apt install}, then with no JDK 25
 * on the PATH and no JAVA_HOME {@code kvmtune --version}, {@code kvmtune demo}, and a real libvirt
 * domain with kvmtune metadata tuned by the packaged hook (libvirtd restarted once, as the
 * postinst says); a reinstall that keeps an edited conffile; while that guest runs, an upgrade to
 * a later release ({@link UpgradePackage}) that keeps the edited conffile, the hook and the
 * guest's state in /run/kvmtune, whose command then reads that state, whose agent (run as its
 * systemd unit would run it) follows and repairs the guest, and whose hook releases the guest's
 * state when it stops; {@code dpkg -r} that leaves a foreign hook; {@code dpkg --purge}; and
 * nothing of kvmtune left. The host's own /etc/kvmtune, libvirt
 * hooks, /run/kvmtune and /var/cache/kvmtune are put back as they were, and libvirtd forgets the
 * hook again when it had none before. Run under the host lock (CI runs alone).
 */
class DebianPackageIT {

    private static final Path HOOKS = Path.of("/etc/libvirt/hooks");
    private static final Path QEMU_D = HOOKS.resolve("qemu.d");
    private static final Path CONF = Path.of("/etc/kvmtune/kvmtune.conf");
    private static final List<Path> HOST_STATE = List.of(Path.of("/etc/kvmtune"), HOOKS, Path.of("/run/kvmtune"),
            Path.of("/var/cache/kvmtune"));
    /** The bits of the capabilities the agent's unit keeps (linux/capability.h). */
    private static final Map<String, Integer> CAPABILITY_BITS = Map.of("CAP_NET_ADMIN", 12, "CAP_SYS_PTRACE", 19,
            "CAP_SYS_NICE", 23, "CAP_SYS_RESOURCE", 24);
    /** What a host without kvmtune's JDK offers: no JAVA_HOME, the system's PATH (Debian 12's java is 17). */
    private static final Map<String, String> PLAIN_ENV = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG", "C.UTF-8");

    @TempDir
    Path dir;

    @Test
    void installUseTuneRemoveAndPurgeLeaveNothingBehind() throws Exception {
        Path checkout = Path.of("").toAbsolutePath().getParent();
        Path startLibvirtd = checkout.resolve("scripts/start-libvirtd");
        assumeTrue(isRoot(), "needs root: installs and removes a Debian package");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/dpkg")),
                "not a Debian host: no apt-get and dpkg");
        Path deb = builtPackage();
        assumeTrue(!run(List.of("dpkg-query", "-W", "-f=${db:Status-Status}", "kvmtune")).output().strip().equals("installed"),
                "kvmtune is installed on this host already; this test would replace it");
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "systemd-analyze is not installed (Debian package systemd): it checks the agent's unit");
        assumeTrue(LibvirtTestDomain.libvirtAvailable(startLibvirtd), "libvirtd does not answer and cannot be started");
        CpuSet online = CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
        assumeTrue(online.size() >= 2, "needs at least 2 online CPUs: one shared, one dedicated");

        List<DirectorySnapshot> before = new ArrayList<>();
        for (Path p : HOST_STATE) {
            before.add(DirectorySnapshot.of(p));
        }
        boolean daemonHadHooks = hasExecutableHook();
        String name = "kvmtune-deb-it-" + ProcessHandle.current().pid();
        try {
            for (Path p : HOST_STATE) { // the package meets a host without kvmtune
                deleteTree(p.equals(HOOKS) ? QEMU_D.resolve("50-kvmtune") : p);
            }
            Path foreignHook = installForeignHook();

            Run install = run(List.of("apt-get", "install", "-y", "-q", deb.toString()),
                    Map.of("DEBIAN_FRONTEND", "noninteractive"));
            assertThat(install.status()).as(install.output()).isZero();
            assertThat(install.output()).contains("restart it once");
            List<Path> installed = packageFiles();
            assertThat(installed).contains(Path.of("/usr/bin/kvmtune"), QEMU_D.resolve("50-kvmtune"), CONF,
                    Path.of("/usr/share/man/man1/kvmtune.1.gz"), Path.of("/usr/share/bash-completion/completions/kvmtune"),
                    Path.of("/lib/systemd/system/kvmtune-agent.service"), Path.of("/usr/lib/kvmtune/lib/kvmtune.aot"));

            Run version = runPlain(List.of("kvmtune", "--version"));
            assertThat(version.status()).as(version.output()).isZero();
            assertThat(version.output()).startsWith("kvmtune ").contains("(Java 25");
            assertUsesItsAotCache();
            assertThat(Files.readString(Path.of("/usr/lib/kvmtune/runtime/release"))).contains("JAVA_VERSION=\"25");

            Run demo = runPlain(List.of("kvmtune", "demo"));
            assertThat(demo.status()).as(demo.output()).isZero();
            assertThat(demo.output()).contains("restored");

            int shared = online.first();
            int dedicated = online.last();
            // The guest CPU a model KVM offers in full (host-model's cannot start under nested KVM);
            // locked memory only warned about: libvirt cannot lock a guest's memory on this machine kind.
            String edited = "[compute]\ncpu_shared_set = " + shared + "\ncpu_dedicated_set = " + dedicated
                    + "\n" + LibvirtTestDomain.libvirtSection() + "[hook]\nstart_settings_warn_only = locked_memory\n"
                    + "[agent]\nmetrics_listen =\n"; // no port of this host taken by the agent's metrics
            Files.writeString(CONF, edited);
            Run reinstall = run(List.of("apt-get", "install", "-y", "-q", "--reinstall", deb.toString()),
                    Map.of("DEBIAN_FRONTEND", "noninteractive"));
            assertThat(reinstall.status()).as(reinstall.output()).isZero();
            assertThat(CONF).as("an edited conffile survives an upgrade").hasContent(edited);

            Run restart = run(List.of(startLibvirtd.toString(), "--restart"));
            assertThat(restart.status()).as(restart.output()).isZero();
            String uuid = tunedByThePackagedHook(name, shared, dedicated);
            upgradeWhileTheGuestRuns(deb, version.output().split(" ")[1], name, uuid, edited);
            agentRunsAsItsUnitSays(name, dedicated);

            assertThat(virsh("destroy", name).exitCode()).isZero();
            assertThat(filesMentioning(Path.of("/run/kvmtune"), uuid)).as("the later release's hook released the guest").isEmpty();
            assertThat(virsh("undefine", name).exitCode()).isZero();

            Run remove = run(List.of("dpkg", "-r", "kvmtune"));
            assertThat(remove.status()).as(remove.output()).isZero();
            assertThat(installed.stream().filter(p -> !p.equals(CONF) && !Files.isDirectory(p)))
                    .as("dpkg -r removes every file but the conffile").noneMatch(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS));
            assertThat(CONF).hasContent(edited);
            assertThat(foreignHook).as("another package's hook stays").exists();

            Run purge = run(List.of("dpkg", "--purge", "kvmtune"));
            assertThat(purge.status()).as(purge.output()).isZero();
            assertThat(run(List.of("dpkg-query", "-W", "kvmtune")).status()).as("dpkg knows no kvmtune").isNotZero();
            for (Path p : List.of(Path.of("/etc/kvmtune"), Path.of("/run/kvmtune"), Path.of("/var/cache/kvmtune"),
                    Path.of("/usr/lib/kvmtune"), Path.of("/usr/bin/kvmtune"), QEMU_D.resolve("50-kvmtune"))) {
                assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as(p + " is gone").isFalse();
            }
            assertThat(foreignHook).exists();
        } finally {
            virsh("destroy", name);
            virsh("undefine", name);
            run(List.of("dpkg", "--purge", "kvmtune"));
            for (DirectorySnapshot s : before) {
                s.restore();
            }
            if (!daemonHadHooks) {
                run(List.of(startLibvirtd.toString(), "--restart")); // so that the daemon forgets the hook again
            }
        }
        for (DirectorySnapshot s : before) {
            assertThat(s.unchanged()).as("host state is as it was").isTrue();
        }
    }

    /**
     * The guest's realtime vCPU runs SCHED_FIFO on the dedicated pCPU from its start: the packaged
     * hook ran. The guest is left running; its UUID is returned.
     */
    private String tunedByThePackagedHook(String name, int shared, int dedicated) throws Exception {
        String uuid = UUID.randomUUID().toString();
        Path xml = Files.writeString(dir.resolve(name + ".xml"), LibvirtTestDomain.domainXml(name, "<uuid>" + uuid + "</uuid>"
                + LibvirtTestDomain.tuningMetadata("hw:cpu_policy=mixed", "hw:cpu_realtime=yes", "hw:cpu_realtime_mask=^0")
                + "<vcpu placement='static'>2</vcpu>" + LibvirtTestDomain.PLANNED_CPU_AND_CLOCK));
        assertThat(virsh("define", xml.toString()).exitCode()).isZero();
        LibvirtTestDomain.Result started = virsh("start", name, "--paused");
        assertThat(started.exitCode()).as("virsh start: " + started.output()).isZero();

        int pid = Integer.parseInt(Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).strip());
        List<TaskState> tasks = TaskState.all(pid);
        assertThat(tasks).extracting(TaskState::comm).contains(LibvirtTestDomain.vcpuThreadName(0), LibvirtTestDomain.vcpuThreadName(1));
        for (TaskState t : tasks) {
            if (t.comm().equals(LibvirtTestDomain.vcpuThreadName(1))) {
                assertThat(t.cpusAllowed()).as(t.toString()).isEqualTo(CpuSet.of(dedicated));
                assertThat(t.policy()).as(t.toString()).isEqualTo(TaskState.SCHED_FIFO);
            } else {
                assertThat(t.cpusAllowed()).as(t.toString()).isEqualTo(CpuSet.of(shared));
                assertThat(t.policy()).as(t.toString()).isEqualTo(TaskState.SCHED_OTHER);
            }
        }
        // The packaged command reads the same state back (verify would also want the guest's memory
        // locked, which this machine kind's RLIMIT_MEMLOCK does not allow libvirt to set).
        assertShowsTheRealtimeVcpu(name);
        return uuid;
    }

    private static void assertShowsTheRealtimeVcpu(String name) throws Exception {
        Run show = runPlain(List.of("kvmtune", "show", "--domain", name));
        assertThat(show.status()).as(show.output()).isZero();
        assertThat(show.output().lines().filter(l -> l.contains(LibvirtTestDomain.vcpuThreadName(1)))).singleElement().asString().contains("fifo");
    }

    /**
     * An upgrade to a later release while the guest the installed one tuned runs: dpkg replaces the
     * command (its --version names the later release, and it uses its own AOT cache) and keeps the
     * edited conffile, the hook and the guest's claims, plans and records in /run/kvmtune, which
     * the later command reads and whose hook releases them when the guest stops.
     */
    private void upgradeWhileTheGuestRuns(Path deb, String installedVersion, String name, String uuid, String edited)
            throws Exception {
        String debianVersion = run(List.of("dpkg-query", "-W", "-f=${Version}", "kvmtune")).output().strip();
        Path later = UpgradePackage.of(deb, installedVersion + "+upgrade1", debianVersion + "+upgrade1",
                Files.createDirectories(dir.resolve("upgrade")));
        Path state = Path.of("/run/kvmtune");
        assertThat(filesMentioning(state, uuid)).as("the running guest's state").isNotEmpty();
        DirectorySnapshot guestState = DirectorySnapshot.of(state);

        Run upgrade = run(List.of("apt-get", "install", "-y", "-q", later.toString()), Map.of("DEBIAN_FRONTEND", "noninteractive"));
        assertThat(upgrade.status()).as(upgrade.output()).isZero();
        assertThat(upgrade.output()).as("an upgrade is not a first install").doesNotContain("restart it once");
        assertThat(run(List.of("dpkg-query", "-W", "-f=${Version}", "kvmtune")).output()).isEqualTo(debianVersion + "+upgrade1");
        Run version = runPlain(List.of("kvmtune", "--version"));
        assertThat(version.output()).as("the later release's command").startsWith("kvmtune " + installedVersion + "+upgrade1 ");
        assertUsesItsAotCache();
        assertThat(CONF).as("an edited conffile survives an upgrade").hasContent(edited);
        assertThat(Files.readSymbolicLink(QEMU_D.resolve("50-kvmtune"))).isEqualTo(Path.of("/usr/lib/kvmtune/libvirt-hook"));
        assertThat(QEMU_D.resolve("50-kvmtune")).isExecutable();
        assertThat(guestState.unchanged()).as("/run/kvmtune of a running guest is kept over an upgrade").isTrue();
        assertShowsTheRealtimeVcpu(name);
    }

    /**
     * The installed unit passes {@code systemd-analyze verify}, and the agent runs as it says:
     * this host has no systemd as PID 1 to start it, so setpriv gives {@code kvmtune agent run}
     * the unit's capability bounding set and no_new_privs, as systemd would. With them it opens the
     * process events connector, follows the running guest the hook tuned, and makes its realtime
     * vCPU SCHED_FIFO again when someone changes it (sched_setattr on a QEMU of libvirt's user).
     */
    private void agentRunsAsItsUnitSays(String name, int dedicated) throws Exception {
        Path unit = Path.of("/lib/systemd/system/kvmtune-agent.service");
        Run verify = run(List.of("systemd-analyze", "verify", unit.toString()));
        assertThat(verify.status()).as(verify.output()).isZero();
        assertThat(verify.output()).as("systemd-analyze verify finds nothing to say").isBlank();
        IniConfig service = IniConfig.parse(Files.readString(unit), unit.toString());
        assertThat(service.get("Service", "ExecStart")).contains("/usr/bin/kvmtune agent run");
        assertThat(service.get("Service", "NoNewPrivileges")).contains("yes");
        List<String> capabilities = List.of(service.get("Service", "CapabilityBoundingSet").orElseThrow().split("\\s+"));
        String bounding = "-all," + capabilities.stream()
                .map(c -> "+" + c.toLowerCase(Locale.ROOT).replaceFirst("^cap_", "")).collect(Collectors.joining(","));
        // what the agent can have: the unit's capabilities that this process has itself (a container may lack some)
        long expected = capabilities.stream().mapToLong(c -> 1L << CAPABILITY_BITS.get(c)).reduce(0, (a, b) -> a | b)
                & capabilities(ProcessHandle.current().pid()).get("CapBnd");

        Path log = dir.resolve("agent.log");
        ProcessBuilder pb = new ProcessBuilder("setpriv", "--bounding-set", bounding, "--no-new-privs", "--",
                "/usr/bin/kvmtune", "agent", "run").redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(PLAIN_ENV);
        Process agent = pb.start();
        try {
            int pid = Integer.parseInt(Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).strip());
            awaitAgent(agent, log, "the agent follows the guest", () -> {
                Run status = run(List.of("kvmtune", "agent", "status"));
                return status.status() == 0 && status.output().contains(name) && status.output().contains("fifo");
            });
            // the JVM (setpriv and the launcher script exec'd into it) has the unit's capabilities and no others
            Map<String, Long> caps = capabilities(agent.pid());
            assertThat(caps).as(caps.toString()).containsEntry("NoNewPrivs", 1L).containsEntry("CapBnd", expected)
                    .containsEntry("CapEff", expected);
            int vcpu1 = TaskState.all(pid).stream().filter(t -> t.comm().equals(LibvirtTestDomain.vcpuThreadName(1))).findFirst().orElseThrow().tid();
            // SCHED_OTHER by hand (an affinity change would not show: libvirt's cpuset keeps vCPU 1 on its pCPU)
            Run demoted = run(List.of("chrt", "--other", "--pid", "0", Integer.toString(vcpu1)));
            assertThat(demoted.status()).as(demoted.output()).isZero();
            // logged as drift, or as a retune while the agent's first seconds with the guest count as its start
            String tuned = "tuned vcpu1 tid " + vcpu1 + " of guest " + name;
            String drift = "drift: guest " + name + " vcpu1 tid " + vcpu1 + ": ";
            awaitAgent(agent, log, "the agent makes vCPU 1 realtime again", () -> Files.readString(log).lines()
                    .anyMatch(l -> l.contains(tuned) || l.contains(drift)) && TaskState.all(pid).stream()
                    .filter(t -> t.tid() == vcpu1).allMatch(t -> t.policy() == TaskState.SCHED_FIFO
                            && t.cpusAllowed().equals(CpuSet.of(dedicated))));
        } finally {
            agent.destroy(); // SIGTERM, as systemctl stop sends
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
        }
    }

    /** The Cap* masks and NoNewPrivs of {@code /proc/PID/status}. */
    private static Map<String, Long> capabilities(long pid) throws IOException {
        Map<String, Long> found = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            String[] kv = line.split(":\\s+");
            if (kv[0].startsWith("Cap") || kv[0].equals("NoNewPrivs")) {
                found.put(kv[0], Long.parseLong(kv[1], 16));
            }
        }
        return found;
    }

    private static void awaitAgent(Process agent, Path log, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.holds()) {
            if (!agent.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + (agent.isAlive() ? "not within 60 s" : "the agent ended")
                        + "; it said:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    /**
     * The packaged command runs with the AOT cache it brings (-XX:AOTMode=on makes the JVM fail
     * where it cannot), and every class {@code --version} loads comes from it.
     */
    private static void assertUsesItsAotCache() throws Exception {
        Map<String, String> env = new HashMap<>(PLAIN_ENV);
        env.put("JDK_JAVA_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info:stderr");
        Run version = runPlain(List.of("kvmtune", "--version"), env);
        assertThat(version.status()).as(version.output()).isZero();
        List<String> loads = version.output().lines().filter(l -> l.contains("[class,load]")).toList();
        assertThat(loads).isNotEmpty().allMatch(l -> l.endsWith("source: shared objects file"));
    }

    private static List<Path> filesMentioning(Path root, String text) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(text)) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    private static Path builtPackage() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("kvmtune_.*_amd64\\.deb")).toList();
            assertThat(debs).as("the package phase built one .deb").hasSize(1);
            return debs.getFirst().toAbsolutePath();
        }
    }

    /** Every path dpkg lists for the installed package. */
    private static List<Path> packageFiles() throws Exception {
        Run list = run(List.of("dpkg", "-L", "kvmtune"));
        assertThat(list.status()).as(list.output()).isZero();
        return list.output().lines().filter(l -> l.startsWith("/")).map(Path::of).toList();
    }

    private static Path installForeignHook() throws IOException {
        Files.createDirectories(QEMU_D);
        Path hook = QEMU_D.resolve("10-kvmtune-it-foreign");
        Files.writeString(hook, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        return hook;
    }

    private static boolean hasExecutableHook() throws IOException {
        if (Files.isRegularFile(HOOKS.resolve("qemu")) && Files.isExecutable(HOOKS.resolve("qemu"))) {
            return true;
        }
        if (!Files.isDirectory(QEMU_D)) {
            return false;
        }
        try (Stream<Path> files = Files.list(QEMU_D)) {
            return files.anyMatch(p -> Files.isRegularFile(p) && Files.isExecutable(p));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    }

    private record Run(int status, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of());
    }

    /** As the operator's shell runs it: the system PATH and nothing of the build's JDK. */
    private static Run runPlain(List<String> command) throws IOException, InterruptedException {
        return runPlain(command, PLAIN_ENV);
    }

    private static Run runPlain(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        return finish(pb, command);
    }

    private static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        return finish(pb, command);
    }

    private static Run finish(ProcessBuilder pb, List<String> command) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(command + " finished").isTrue();
            return new Run(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
