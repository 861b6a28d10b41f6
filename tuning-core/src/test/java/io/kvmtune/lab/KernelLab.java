package io.kvmtune.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.cpu.CpuSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kernel lab's machinery, for {@link KernelLabIT} and for other modules' lab tests (the
 * agent's): fetches and caches Debian's kernels and busybox, builds the initramfs, boots a
 * scenario under TCG, runs JUnit classes inside with the host's JDK and the calling test's class
 * path, and brings back their reports.
 */
public final class KernelLab {

    /** Run inside every scenario: the guest is what the lab meant to boot, and topology and planner hold on it. */
    static final List<String> LAB_CHECKS = List.of("io.kvmtune.lab.LabEnvironmentCheck",
            "io.kvmtune.lab.LabTopologyCheck");

    private final Path work;
    private final LabPackages packages;
    private final Map<String, LabKernel> kernels = new HashMap<>();
    private final Map<String, Path> initrds = new HashMap<>();

    private KernelLab(Path work, LabPackages packages) {
        this.work = work;
        this.packages = packages;
    }

    /**
     * The lab, working in {@code target/kernel-lab} of the calling module; skips the test (an
     * assumption, with the reason) where the lab's tools or root are missing.
     */
    public static KernelLab open() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "the kernel lab needs root (apt-get download into its cache, 9p export of /)");
        for (String tool : List.of("qemu-system-x86_64", "apt-get", "dpkg-deb", "cpio", "gzip")) {
            assumeTrue(onPath(tool), "the kernel lab needs " + tool + " (Debian packages qemu-system-x86, cpio)");
        }
        Path work = Path.of("target", "kernel-lab").toAbsolutePath();
        Files.createDirectories(work);
        Files.createDirectories(LabPackages.cacheDir());
        return new KernelLab(work, new LabPackages(LabPackages.cacheDir()));
    }

    /**
     * Runs {@code testClasses} (after the lab's own environment check) on Debian's 6.1 kernel of
     * {@code flavour} ({@code amd64}, or {@code rt-amd64} for PREEMPT_RT) in the lab's standard
     * machine (8 CPUs in two NUMA nodes, cgroup v2), as scenario {@code name}.
     */
    public Path run(String name, String flavour, List<String> testClasses, Duration timeout) throws Exception {
        List<String> all = new ArrayList<>(List.of("io.kvmtune.lab.LabEnvironmentCheck"));
        all.addAll(testClasses);
        return run(new LabScenario(name, flavour, LabMachine.twoSocketSmt(), "", all), timeout);
    }

    /**
     * Boots {@code scenario}'s kernel, runs its tests inside, copies their reports to
     * {@code target/failsafe-reports/kernel-lab-<name>} and fails unless some passed and none
     * failed; returns the scenario's results directory (the guest's writable share).
     */
    Path run(LabScenario scenario, Duration timeout) throws Exception {
        LabKernel kernel = kernel(scenario.flavour());
        Path results = freshResults(scenario, kernel);
        LabVm.Outcome outcome = LabVm.boot(kernel, initrd(kernel), scenario.machine(), results,
                tmpBindArgs(), timeout);
        Path summaryFile = results.resolve("summary.properties");
        if ((outcome.emulatorCrashed() || outcome.neverRanInit()) && !Files.exists(summaryFile)) {
            // TCG QEMU itself has crashed here (a segfault in its own code before the guest printed a
            // line), or hung before the guest reached its init, each once in a full test run: that says
            // nothing of the kernel or of kvmtune, so the scenario gets one more boot, and the log says so
            String why = outcome.neverRanInit() ? "the guest did not reach its init within " + LabVm.INIT_WITHIN
                    : "QEMU exited with status " + outcome.qemuExit() + " (killed by signal " + (outcome.qemuExit() - 128)
                            + ") before the guest ran its tests";
            System.out.printf("kernel lab %s: %s; booting once more%n", scenario.name(), why);
            freshResults(scenario, kernel);
            outcome = LabVm.boot(kernel, initrd(kernel), scenario.machine(), results, tmpBindArgs(), timeout);
        }
        if (outcome.timedOut()) {
            fail("lab guest " + scenario.name() + " (" + kernel.release() + ") "
                    + (outcome.neverRanInit() ? "did not reach its init within " + LabVm.INIT_WITHIN
                            : "did not power off within " + timeout) + "; console:\n" + outcome.consoleText()
                    + "\nguest log:\n" + guestLog(results));
        }
        if (!Files.exists(summaryFile)) {
            fail("lab guest " + scenario.name() + " ran no tests; QEMU exited with status " + outcome.qemuExit()
                    + ", its output:\n" + outcome.qemuLog() + "\nconsole:\n" + outcome.consoleText()
                    + "\nguest log:\n" + guestLog(results));
        }
        copyReports(scenario, results);
        Properties summary = new Properties();
        try (var in = Files.newBufferedReader(summaryFile)) {
            summary.load(in);
        }
        long failed = Long.parseLong(summary.getProperty("failed"));
        long succeeded = Long.parseLong(summary.getProperty("succeeded"));
        long skipped = Long.parseLong(summary.getProperty("skipped"));
        System.out.printf("kernel lab %s on %s: %d succeeded, %d failed, %d skipped%n",
                scenario.name(), kernel.release(), succeeded, failed, skipped);
        assertThat(failed).as("failed tests in lab %s:%n%s", scenario.name(),
                Files.readString(results.resolve("failures.txt"))).isZero();
        assertThat(succeeded).as("tests that passed in lab %s (guest log:%n%s)", scenario.name(), guestLog(results))
                .isPositive();
        return results;
    }

    /** The scenario's results directory, emptied, with the script the guest runs. */
    private Path freshResults(LabScenario scenario, LabKernel kernel) throws IOException {
        Path results = work.resolve(scenario.name());
        LabCommands.deleteTree(results);
        Files.createDirectories(results);
        writeRunScript(scenario, kernel, results);
        return results;
    }

    private static void writeRunScript(LabScenario scenario, LabKernel kernel, Path results) throws IOException {
        String guestResults = Initramfs.GUEST_RESULTS;
        List<String> javaArgs = new ArrayList<>(List.of(
                "--enable-native-access=ALL-UNNAMED", "-XX:+EnableDynamicAgentLoading", "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1", "-Xmx768m", "-Djava.io.tmpdir=/tmp",
                "-Dkvmtune.lab=true",
                "-Dkvmtune.lab.expect.release=" + kernel.release(),
                "-Dkvmtune.lab.expect.preemptRt=" + scenario.flavour().startsWith("rt-"),
                "-Dkvmtune.lab.expect.online=" + CpuSet.firstN(scenario.machine().cpus()).format(),
                "-Dkvmtune.lab.expect.nodes=" + scenario.machine().nodes().stream().map(CpuSet::format)
                        .collect(Collectors.joining(";")),
                "-cp", System.getProperty("java.class.path"),
                LabRunner.class.getName(), guestResults));
        javaArgs.addAll(scenario.testClasses());
        // An argument file: the class path is far longer than a comfortable shell line.
        Files.write(results.resolve("java.args"), javaArgs.stream().map(KernelLab::quoteArg).toList());
        String script = """
                set -u
                RESULTS=%s
                export HOME=/tmp PATH=/usr/sbin:/usr/bin:/sbin:/bin
                uname -a
                %s
                cd /tmp
                %s/bin/java @"$RESULTS/java.args"
                rc=$?
                dmesg > "$RESULTS/dmesg.txt"
                exit $rc
                """.formatted(guestResults, scenario.setup(), System.getProperty("java.home"));
        Files.writeString(results.resolve("run.sh"), script);
    }

    /**
     * Kernel arguments naming the top-level directories under /tmp that hold class path entries:
     * the guest puts a fresh tmpfs on /tmp and binds these back from the host (Initramfs).
     */
    private static String tmpBindArgs() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().normalize())
                .filter(p -> p.getNameCount() >= 2 && p.getName(0).toString().equals("tmp"))
                .map(p -> "/tmp/" + p.getName(1))
                .distinct()
                .map(dir -> "kvmtune.tmpbind=" + dir)
                .collect(Collectors.joining(" "));
    }

    /** Quotes one argument for a java @argfile, where whitespace separates arguments. */
    private static String quoteArg(String arg) {
        return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void copyReports(LabScenario scenario, Path results) throws IOException {
        Path target = Path.of("target", "failsafe-reports", "kernel-lab-" + scenario.name());
        Files.createDirectories(target);
        try (Stream<Path> xml = Files.list(results.resolve("reports"))) {
            for (Path report : xml.toList()) {
                Files.copy(report, target.resolve(report.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The test run's output and, when the guest got that far, the tail of its kernel log. */
    private static String guestLog(Path results) throws IOException {
        Path log = results.resolve(LabVm.GUEST_LOG);
        Path dmesg = results.resolve("dmesg.txt");
        String text = Files.exists(log) ? Files.readString(log) : "(no guest log)";
        if (Files.exists(dmesg)) {
            List<String> lines = Files.readAllLines(dmesg);
            text += "\nkernel log (last 40 lines):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        return text;
    }

    private synchronized LabKernel kernel(String flavour) throws IOException, InterruptedException {
        LabKernel k = kernels.get(flavour);
        if (k == null) {
            k = packages.kernel(flavour);
            kernels.put(flavour, k);
        }
        return k;
    }

    private synchronized Path initrd(LabKernel kernel) throws IOException, InterruptedException {
        Path p = initrds.get(kernel.release());
        if (p == null) {
            p = Initramfs.build(kernel, packages.busybox(), work);
            initrds.put(kernel.release(), p);
        }
        return p;
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
