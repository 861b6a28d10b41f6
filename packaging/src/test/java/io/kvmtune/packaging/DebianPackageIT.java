package io.kvmtune.packaging;

import static io.kvmtune.core.apply.LibvirtTestDomain.virsh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.cli.hook.DirectorySnapshot;
import io.kvmtune.cli.hook.TaskState;
import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ThrowawayGuest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb on this host, as an operator uses it: {@code apt install}, then with no JDK 25
 * on the PATH and no JAVA_HOME {@code kvmtune --version}, {@code kvmtune demo}, and a real libvirt
 * domain with kvmtune metadata tuned by the packaged hook (libvirtd restarted once, as the
 * postinst says); a reinstall that keeps an edited conffile; {@code dpkg -r} that leaves a foreign
 * hook; {@code dpkg --purge}; and nothing of kvmtune left. The host's own /etc/kvmtune, libvirt
 * hooks, /run/kvmtune and /var/cache/kvmtune are put back as they were, and libvirtd forgets the
 * hook again when it had none before. Run under the host lock (CI runs alone).
 */
class DebianPackageIT {

    private static final Path HOOKS = Path.of("/etc/libvirt/hooks");
    private static final Path QEMU_D = HOOKS.resolve("qemu.d");
    private static final Path CONF = Path.of("/etc/kvmtune/kvmtune.conf");
    private static final List<Path> HOST_STATE = List.of(Path.of("/etc/kvmtune"), HOOKS, Path.of("/run/kvmtune"),
            Path.of("/var/cache/kvmtune"));
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
            assertThat(Files.readString(Path.of("/usr/lib/kvmtune/runtime/release"))).contains("JAVA_VERSION=\"25");

            Run demo = runPlain(List.of("kvmtune", "demo"));
            assertThat(demo.status()).as(demo.output()).isZero();
            assertThat(demo.output()).contains("restored");

            int shared = online.first();
            int dedicated = online.last();
            // The guest CPU a model KVM offers in full here (host-model's cannot start under this nested KVM);
            // locked memory only warned about: libvirt cannot lock a guest's memory on this machine kind.
            String edited = "[compute]\ncpu_shared_set = " + shared + "\ncpu_dedicated_set = " + dedicated
                    + "\n[libvirt]\ncpu_mode = custom\ncpu_models = pentium3\n[hook]\nstart_settings_warn_only = locked_memory\n";
            Files.writeString(CONF, edited);
            Run reinstall = run(List.of("apt-get", "install", "-y", "-q", "--reinstall", deb.toString()),
                    Map.of("DEBIAN_FRONTEND", "noninteractive"));
            assertThat(reinstall.status()).as(reinstall.output()).isZero();
            assertThat(CONF).as("an edited conffile survives an upgrade").hasContent(edited);

            Run restart = run(List.of(startLibvirtd.toString(), "--restart"));
            assertThat(restart.status()).as(restart.output()).isZero();
            tunedByThePackagedHook(name, shared, dedicated);

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

    /** The guest's realtime vCPU runs SCHED_FIFO on the dedicated pCPU from its start: the packaged hook ran. */
    private void tunedByThePackagedHook(String name, int shared, int dedicated) throws Exception {
        String uuid = UUID.randomUUID().toString();
        Path xml = Files.writeString(dir.resolve(name + ".xml"), LibvirtTestDomain.domainXml(name, "<uuid>" + uuid + "</uuid>"
                + LibvirtTestDomain.tuningMetadata("hw:cpu_policy=mixed", "hw:cpu_realtime=yes", "hw:cpu_realtime_mask=^0")
                + "<vcpu placement='static'>2</vcpu>" + LibvirtTestDomain.PLANNED_CPU_AND_CLOCK));
        assertThat(virsh("define", xml.toString()).exitCode()).isZero();
        LibvirtTestDomain.Result started = virsh("start", name, "--paused");
        assertThat(started.exitCode()).as("virsh start: " + started.output()).isZero();

        int pid = Integer.parseInt(Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).strip());
        List<TaskState> tasks = TaskState.all(pid);
        assertThat(tasks).extracting(TaskState::comm).contains("CPU 0/KVM", "CPU 1/KVM");
        for (TaskState t : tasks) {
            if (t.comm().equals("CPU 1/KVM")) {
                assertThat(t.cpusAllowed()).as(t.toString()).isEqualTo(CpuSet.of(dedicated));
                assertThat(t.policy()).as(t.toString()).isEqualTo(TaskState.SCHED_FIFO);
            } else {
                assertThat(t.cpusAllowed()).as(t.toString()).isEqualTo(CpuSet.of(shared));
                assertThat(t.policy()).as(t.toString()).isEqualTo(TaskState.SCHED_OTHER);
            }
        }
        // The packaged command reads the same state back (verify would also want the guest's memory
        // locked, which this machine kind's RLIMIT_MEMLOCK does not allow libvirt to set).
        Run show = runPlain(List.of("kvmtune", "show", "--domain", name));
        assertThat(show.status()).as(show.output()).isZero();
        assertThat(show.output().lines().filter(l -> l.contains("CPU 1/KVM"))).singleElement().asString().contains("fifo");

        assertThat(virsh("destroy", name).exitCode()).isZero();
        assertThat(virsh("undefine", name).exitCode()).isZero();
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
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(PLAIN_ENV);
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
