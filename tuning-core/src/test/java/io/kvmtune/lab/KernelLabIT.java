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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel lab: runs kvmtune's integration tests inside throwaway VMs booted from Debian's real
 * kernels, because production realtime hosts run cgroup v2 and often PREEMPT_RT while this
 * machine kind is cgroup-v1-hybrid and not RT. Runs with {@code ./mvnw -B verify} and alone with
 * {@code ./mvnw -B -Pkernel-lab verify}.
 *
 * <p>Each scenario boots one kernel under TCG, runs the chosen test classes with the host's JDK
 * over the read-only shared root, and brings back JUnit XML reports (copied to
 * {@code target/failsafe-reports/kernel-lab-<scenario>}) and a summary. A guest that hangs is
 * killed and reported with its console log.
 */
class KernelLabIT {

    /** Test classes run inside every scenario; a property may add more (comma-separated). */
    private static final List<String> LAB_TESTS = List.of("io.kvmtune.lab.LabEnvironmentCheck",
            "io.kvmtune.lab.LabTopologyCheck");

    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(4);

    private static final String ISOLATED_PARTITION_SETUP = """
            cg=/sys/fs/cgroup/kvmtune-lab
            mkdir -p "$cg"
            echo 2-7 > "$cg/cpuset.cpus"
            echo isolated > "$cg/cpuset.cpus.partition"
            cat "$cg/cpuset.cpus.partition" > "$RESULTS/partition.txt"
            echo $$ > "$cg/cgroup.procs"
            """;

    private static Path work;
    private static LabPackages packages;
    private static final Map<String, LabKernel> kernels = new HashMap<>();
    private static final Map<String, Path> initrds = new HashMap<>();

    @BeforeAll
    static void requireTheLabsTools() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "the kernel lab needs root (apt-get download into its cache, 9p export of /)");
        for (String tool : List.of("qemu-system-x86_64", "apt-get", "dpkg-deb", "cpio", "gzip")) {
            assumeTrue(onPath(tool), "the kernel lab needs " + tool + " (Debian packages qemu-system-x86, cpio)");
        }
        work = Path.of("target", "kernel-lab").toAbsolutePath();
        Files.createDirectories(work);
        Files.createDirectories(LabPackages.cacheDir());
        packages = new LabPackages(LabPackages.cacheDir());
    }

    @Test
    void standardKernelWithCgroupV2() throws Exception {
        run(new LabScenario("cgroup-v2", "amd64", LabMachine.twoSocketSmt(), "", tests()));
    }

    @Test
    void dedicatedCpusInAnIsolatedCpusetPartition() throws Exception {
        Path results = run(new LabScenario("isolated-partition", "amd64", LabMachine.twoSocketSmt(),
                ISOLATED_PARTITION_SETUP, tests()));
        assertThat(Files.readString(results.resolve("partition.txt")).strip())
                .as("cpuset.cpus.partition of the lab's partition").isEqualTo("isolated");
    }

    @Test
    void preemptRtKernel() throws Exception {
        run(new LabScenario("preempt-rt", "rt-amd64", LabMachine.twoSocketSmt(), "", tests()));
    }

    private static List<String> tests() {
        List<String> all = new ArrayList<>(LAB_TESTS);
        String extra = System.getProperty("kvmtune.lab.tests", "");
        Arrays.stream(extra.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(all::add);
        return all;
    }

    private Path run(LabScenario scenario) throws Exception {
        LabKernel kernel = kernel(scenario.flavour());
        Path results = work.resolve(scenario.name());
        LabCommands.deleteTree(results);
        Files.createDirectories(results);
        writeRunScript(scenario, kernel, results);

        LabVm.Outcome outcome = LabVm.boot(kernel, initrd(kernel), scenario.machine(), results, "", BOOT_TIMEOUT);
        if (outcome.timedOut()) {
            fail("lab guest " + scenario.name() + " (" + kernel.release() + ") did not power off within "
                    + BOOT_TIMEOUT + "; console:\n" + outcome.consoleText() + "\nguest log:\n" + guestLog(results));
        }
        Path summaryFile = results.resolve("summary.properties");
        if (!Files.exists(summaryFile)) {
            fail("lab guest " + scenario.name() + " ran no tests; console:\n" + outcome.consoleText()
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

    private static void writeRunScript(LabScenario scenario, LabKernel kernel, Path results) throws IOException {
        String guestResults = Initramfs.GUEST_RESULTS;
        List<String> javaArgs = new ArrayList<>(List.of(
                "--enable-native-access=ALL-UNNAMED", "-XX:+EnableDynamicAgentLoading", "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=/tmp",
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
        Files.write(results.resolve("java.args"), javaArgs.stream().map(KernelLabIT::quoteArg).toList());
        String script = """
                set -u
                RESULTS=%s
                export HOME=/tmp PATH=/usr/sbin:/usr/bin:/sbin:/bin
                uname -a
                %s
                cd /tmp
                exec %s/bin/java @"$RESULTS/java.args"
                """.formatted(guestResults, scenario.setup(), System.getProperty("java.home"));
        Files.writeString(results.resolve("run.sh"), script);
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

    private static String guestLog(Path results) throws IOException {
        Path log = results.resolve("guest.log");
        return Files.exists(log) ? Files.readString(log) : "(no guest log)";
    }

    private static synchronized LabKernel kernel(String flavour) throws IOException, InterruptedException {
        LabKernel k = kernels.get(flavour);
        if (k == null) {
            k = packages.kernel(flavour);
            kernels.put(flavour, k);
        }
        return k;
    }

    private static synchronized Path initrd(LabKernel kernel) throws IOException, InterruptedException {
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
