package io.kvmtune.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.json.Json;
import io.kvmtune.packaging.AnsibleTools.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kvmtune.host} collection (the repository's {@code ansible/}) against this machine,
 * with the package this build made: a pool of three hosts on the local connection, this machine
 * and two recorded CPUs whose facts the test inventory declares.
 *
 * <p>In order: {@code kvmtune.host.site --check --diff} changes nothing (every file it would touch
 * is compared before and after); the first run changes the host; {@code cpu_baseline} writes the
 * pool's CPU model; a second run of both reports {@code changed=0} for every task;
 * {@code kvmtune.host.check} fails this machine, listing its failing checks with their remedies,
 * and passes the recorded hosts; {@code kvmtune.host.restore --check --diff} changes nothing and
 * {@code kvmtune.host.restore} gives back exactly what was there.
 * Whatever fails, the test puts back the package state, /etc/kvmtune, libvirt's hooks and the
 * tunables it touched. It changes the host: run it under {@code flock /tmp/kvmtune-host.lock}.
 */
class AnsibleCollectionIT {

    /** The runtime tunables the test prepares: harmless ones, as other tests share this machine. */
    static final Map<String, String> TUNABLES = Map.of(
            "sysctl.vm.stat_interval", "/proc/sys/vm/stat_interval",
            "sysctl.kernel.hung_task_timeout_secs", "/proc/sys/kernel/hung_task_timeout_secs",
            "sysctl.kernel.timer_migration", "/proc/sys/kernel/timer_migration");

    static final Path REPO = AnsibleTools.REPO;
    static final Path HOOKS = Path.of("/etc/libvirt/hooks");
    static final Path ETC = Path.of("/etc/kvmtune");

    @TempDir
    Path tmp;

    Path deb;
    Path collections;
    Path inventory;
    Path vars;
    Path evidence;

    @BeforeEach
    void componentsAndCollection() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the collection installs a package: needs root");
        AnsibleTools.assumeInstalled("ansible-playbook", "ansible-galaxy", "dpkg-query", "/usr/bin/python3");
        Assumptions.assumeTrue(AnsibleTools.run(List.of("/usr/bin/python3", "-c", "import apt")).status() == 0,
                "python3-apt is not installed (Ansible's apt module needs it)");
        Assumptions.assumeFalse(packageState().contains("installed"),
                "kvmtune is already installed on this host; the test installs and purges it");
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            deb = files.filter(p -> p.getFileName().toString().matches("kvmtune_.*_amd64\\.deb")).findFirst()
                    .map(Path::toAbsolutePath).orElse(null);
        }
        Assumptions.assumeTrue(deb != null, "packaging/target has no kvmtune_*_amd64.deb (./mvnw -B package builds it)");
        int cpus = Runtime.getRuntime().availableProcessors();
        Assumptions.assumeTrue(cpus >= 2, "a partition needs two CPUs, one dedicated and one for housekeeping");

        collections = AnsibleTools.install(tmp);

        // The inventory and its fixtures as an operator keeps them, with the pool's group_vars beside.
        Path tests = tmp.resolve("tests");
        AnsibleTools.copyTree(REPO.resolve("ansible/tests"), tests);
        inventory = tests.resolve("inventory/fleet.yml");
        Path poolVars = Files.createDirectories(tests.resolve("inventory/group_vars/kvmtune_pool")).resolve("kvmtune_cpu.yml");
        vars = tmp.resolve("vars.yml");
        Files.writeString(vars, String.join("\n",
                "kvmtune_package_path: " + deb,
                "kvmtune_package_cache: " + tmp.resolve("package-cache"),
                "kvmtune_libvirtd_restart_command: " + REPO.resolve("scripts/start-libvirtd") + " --restart",
                "kvmtune_dedicated_set: \"" + (cpus - 1) + "\"",
                "kvmtune_shared_set: \"0-" + (cpus - 2) + "\"",
                "kvmtune_prepare_only: [" + String.join(", ", new TreeMap<>(TUNABLES).keySet()) + "]",
                "kvmtune_prepare_backup: " + tmp.resolve("hostprep-backup.json"),
                "kvmtune_baseline_binary: /usr/bin/kvmtune",
                "kvmtune_pool_vars_file: " + poolVars,
                ""));
        evidence = Path.of("target", "ansible-collection-it.txt").toAbsolutePath();
        Files.writeString(evidence, "");
    }

    @Test
    void checkModeChangesNothingTheFirstRunChangesTheSecondChangesNothingAndRestoreGivesBackEverything() throws Exception {
        // The package owns /etc/kvmtune and its purge removes it: a configuration another run left
        // there is set aside first, so that the run starts from a host without kvmtune, and put back
        // at the end exactly as it was.
        Path aside = tmp.resolve("etc-kvmtune-aside");
        boolean setAside = Files.exists(ETC, LinkOption.NOFOLLOW_LINKS);
        if (setAside) {
            assertThat(AnsibleTools.run(List.of("cp", "-a", ETC.toString(), aside.toString())).status()).isZero();
            assertThat(AnsibleTools.run(List.of("rm", "-rf", ETC.toString())).status()).isZero();
        }
        try {
            prepareCheckRestore();
        } finally {
            if (setAside) {
                AnsibleTools.run(List.of("rm", "-rf", ETC.toString()));
                assertThat(AnsibleTools.run(List.of("cp", "-a", aside.toString(), ETC.toString())).status()).isZero();
            }
        }
    }

    private void prepareCheckRestore() throws Exception {
        Map<String, String> before = hostState();
        try {
            Playbook check = playbook("site", "--check", "--diff");
            assertThat(check.status()).as(check.output()).isZero();
            assertThat(hostState()).as("every file the check run would touch").isEqualTo(before);
            assertThat(check.changedTasks()).as("check mode says what would change").isNotEmpty();

            Playbook first = playbook("site", "--diff");
            assertThat(first.status()).as(first.output()).isZero();
            assertThat(first.changed("kvmtune-local")).isPositive();
            assertThat(packageState()).contains("install ok installed");
            assertThat(Files.exists(HOOKS.resolve("qemu.d/50-kvmtune"), LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(procValue(TUNABLES.get("sysctl.vm.stat_interval"))).isEqualTo("10");
            assertThat(first.changedTasks()).contains("kvmtune.host.install : Note whether the libvirt hook is new",
                    "kvmtune.host.prepare : Prepare or restore the runtime tunables");

            Playbook baseline = playbook("cpu_baseline", "--diff");
            assertThat(baseline.status()).as(baseline.output()).isZero();
            String conf = Files.readString(ETC.resolve("kvmtune.conf"));
            assertThat(conf).contains("cpu_mode = custom", "cpu_models = ", "cpu_dedicated_set = ");

            Playbook second = playbook("site", "--diff");
            Playbook secondBaseline = playbook("cpu_baseline", "--diff");
            assertThat(second.status()).as(second.output()).isZero();
            assertThat(secondBaseline.status()).as(secondBaseline.output()).isZero();
            assertThat(second.changedTasks()).as("tasks changed on the second run").isEmpty();
            assertThat(secondBaseline.changedTasks()).as("tasks changed on the second cpu_baseline run").isEmpty();
            assertThat(second.stats()).isNotEmpty().allSatisfy((host, s) -> assertThat(s.get("changed")).as(host).isZero());
            assertThat(Files.readString(ETC.resolve("kvmtune.conf"))).isEqualTo(conf);

            Playbook checks = playbook("check");
            assertThat(checks.status()).as("this machine fails its realtime checks").isNotZero();
            assertThat(checks.stats().get("kvmtune-local").get("failed")).isEqualTo(1);
            assertThat(checks.stats().get("recorded-epyc-7601").get("failed")).isZero();
            assertThat(checks.stats().get("recorded-xeon-gold-6148").get("failed")).isZero();
            assertThat(checks.failureMessage("kvmtune-local")).contains("realtime check(s) failed", "[isolation.domain]", "remedy:");

            Map<String, String> prepared = hostState();
            Playbook restoreCheck = playbook("restore", "--check", "--diff", "-e", "kvmtune_remove_package=true");
            assertThat(restoreCheck.status()).as(restoreCheck.output()).isZero();
            assertThat(restoreCheck.changedTasks()).contains("kvmtune.host.prepare : Prepare or restore the runtime tunables");
            assertThat(hostState()).as("every file the restore check run would touch").isEqualTo(prepared);

            Playbook restore = playbook("restore", "--diff", "-e", "kvmtune_remove_package=true");
            assertThat(restore.status()).as(restore.output()).isZero();
            assertThat(hostState()).as("the host after the restore play").isEqualTo(before);
        } catch (Exception | AssertionError failure) {
            try {
                putBack(before);
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
    }

    /** Everything the collection may touch on this machine, by path: package, files, hooks, tunables. */
    private Map<String, String> hostState() throws Exception {
        Map<String, String> state = new TreeMap<>();
        state.put("dpkg kvmtune", packageState());
        state.put("/usr/bin/kvmtune", Files.exists(Path.of("/usr/bin/kvmtune"), LinkOption.NOFOLLOW_LINKS) ? "present" : "absent");
        snapshot(ETC, state);
        snapshot(HOOKS, state);
        snapshot(tmp.resolve("package-cache"), state);
        for (String path : TUNABLES.values()) {
            state.put(path, procValue(path));
        }
        return state;
    }

    /**
     * A /proc/sys value. Not {@code Files.readString}: on this JDK it returns only the first byte of
     * a sysctl file, whose size procfs reports as 0 ("1" for 120).
     */
    private static String procValue(String path) throws IOException {
        try (var in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    private static void snapshot(Path dir, Map<String, String> state) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            state.put(dir.toString(), "absent");
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                if (Files.isSymbolicLink(p)) {
                    state.put(p.toString(), "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    state.put(p.toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
                } else {
                    state.put(p.toString(), "directory");
                }
            }
        }
    }

    private static String packageState() throws Exception {
        return AnsibleTools.run(List.of("dpkg-query", "-W", "-f=${Status}", "kvmtune")).output().strip();
    }

    /** After a failure: the package purged (its hook and conffile with it), /etc/kvmtune and the tunables as they were. */
    private void putBack(Map<String, String> before) throws Exception {
        playbook("restore", "-e", "kvmtune_remove_package=true");
        if (packageState().contains("installed")) {
            AnsibleTools.run(List.of("dpkg", "--purge", "kvmtune"));
        }
        for (String path : TUNABLES.values()) {
            Files.writeString(Path.of(path), before.get(path) + "\n");
        }
        if ("absent".equals(before.get(ETC.toString())) && Files.exists(ETC)) {
            AnsibleTools.run(List.of("rm", "-rf", ETC.toString()));
        }
        AnsibleTools.run(List.of(REPO.resolve("scripts/start-libvirtd").toString(), "--restart"));
    }

    /** One run of a collection playbook over the test inventory; its output is appended to the evidence. */
    private Playbook playbook(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(),
                "kvmtune.host." + name, "-e", "@" + vars));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ANSIBLE_COLLECTIONS_PATH", collections.toString());
        pb.environment().put("ANSIBLE_LOCAL_TEMP", tmp.resolve("ansible-tmp").toString());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().remove("ANSIBLE_FORCE_COLOR");
        Run run = AnsibleTools.run(pb);
        Playbook playbook = new Playbook(run.status(), run.output());
        Files.writeString(evidence, "$ " + String.join(" ", command) + "\n" + run.output() + "exit " + run.status() + "\n\n",
                StandardOpenOption.APPEND);
        return playbook;
    }

    /** An ansible-playbook run as its default output reports it (ansible-core has no JSON callback of its own). */
    record Playbook(int status, String output) {

        private static final Pattern TASK = Pattern.compile("^(?:TASK|RUNNING HANDLER) \\[(.+?)\\] \\*+$");
        private static final Pattern RESULT = Pattern.compile("^(changed|ok|skipping|fatal|failed): \\[([^\\]]+)\\]");
        private static final Pattern RECAP = Pattern.compile(
                "^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)\\s+skipped=(\\d+)");

        /** Host name to its recap: {@code ok}, {@code changed}, {@code unreachable}, {@code failed}, {@code skipped}. */
        Map<String, Map<String, Integer>> stats() {
            Map<String, Map<String, Integer>> stats = new TreeMap<>();
            for (String line : output.lines().toList()) {
                Matcher m = RECAP.matcher(line);
                if (m.find()) {
                    Map<String, Integer> s = new TreeMap<>();
                    String[] keys = {"ok", "changed", "unreachable", "failed", "skipped"};
                    for (int i = 0; i < keys.length; i++) {
                        s.put(keys[i], Integer.parseInt(m.group(i + 2)));
                    }
                    stats.put(m.group(1), s);
                }
            }
            return stats;
        }

        int changed(String host) {
            return stats().get(host).get("changed");
        }

        /** The names of the tasks and handlers that reported {@code changed} on some host. */
        List<String> changedTasks() {
            List<String> changed = new ArrayList<>();
            String task = null;
            for (String line : output.lines().toList()) {
                Matcher t = TASK.matcher(line);
                if (t.find()) {
                    task = t.group(1);
                    continue;
                }
                Matcher r = RESULT.matcher(line);
                if (r.find() && r.group(1).equals("changed") && task != null && !changed.contains(task)) {
                    changed.add(task);
                }
            }
            return changed;
        }

        /** The message of the task that failed on {@code host}. */
        String failureMessage(String host) {
            String prefix = "fatal: [" + host + "]: FAILED! => ";
            return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> Json.parseObject(l.substring(prefix.length())).string("msg")).orElse("");
        }
    }
}
