package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launcher script ({@code src/dist/bin/kvmtune}) and {@code scripts/find-jdk}
 * with fake JDKs: a {@code release} file and a {@code bin/java} that logs its arguments and, for
 * a training run, writes the AOT cache it is asked for. What is checked is which JDK runs, when
 * find-jdk runs and when the AOT cache is made again: after the jar or the JDK changed, also to
 * an older mtime, as a package manager restores it.
 */
class LauncherScriptTest {

    private static final Path LAUNCHER = Path.of("src/dist/bin/kvmtune").toAbsolutePath();
    private static final Path FIND_JDK = Path.of("../scripts/find-jdk").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private Path log;
    private Path jar;
    private Path cache;
    private Path jdkA;
    private Path jdkB;
    private Path findJdk;

    @BeforeEach
    void fakes() throws IOException {
        log = dir.resolve("calls.log");
        jar = dir.resolve("lib/kvmtune.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not really a jar");
        cache = dir.resolve("cache");
        Files.createDirectories(cache);
        jdkA = fakeJdk("jdk-a", "25.0.3");
        jdkB = fakeJdk("jdk-b", "26-ea");
        // find-jdk, logged, so that a test can tell whether the launcher needed it
        findJdk = executable(dir.resolve("find-jdk"), "#!/bin/sh\necho find-jdk >>\"$FAKE_LOG\"\nexec " + FIND_JDK + "\n");
    }

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        executable(home.resolve("bin/java"), """
                #!/bin/sh
                echo "%s $*" >>"$FAKE_LOG"
                for a; do case $a in -XX:AOTCacheOutput=*) echo cache >"${a#-XX:AOTCacheOutput=}" ;; esac; done
                """.formatted(name));
        return home;
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** Runs the launcher with {@code args}; returns the lines logged by find-jdk and the fake javas. */
    private List<String> launch(Map<String, String> extraEnv, String... args) throws Exception {
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", jdkA.resolve("bin") + ":/usr/bin:/bin");
        env.put("FAKE_LOG", log.toString());
        env.put("KVMTUNE_JAR", jar.toString());
        env.put("KVMTUNE_FIND_JDK", findJdk.toString());
        env.put("KVMTUNE_LAUNCHER", LAUNCHER.toString());
        env.put("KVMTUNE_CACHE_DIR", cache.toString());
        env.putAll(extraEnv);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private List<String> launch(Map<String, String> extraEnv) throws Exception {
        return launch(extraEnv, "--version");
    }

    private List<String> launch() throws Exception {
        return launch(Map.of());
    }

    private static List<String> trainings(List<String> calls) {
        return calls.stream().filter(c -> c.contains("-XX:AOTCacheOutput=")).toList();
    }

    private static String run(List<String> calls) {
        return calls.getLast();
    }

    @Test
    void firstRunFindsTheJdkAndTrainsLaterRunsDoNeither() throws Exception {
        List<String> first = launch();

        assertThat(first).first().isEqualTo("find-jdk");
        assertThat(trainings(first)).singleElement().asString().startsWith("jdk-a ").contains("io.kvmtune.cli.AotTraining");
        assertThat(run(first)).startsWith("jdk-a ").contains("-XX:AOTCache=" + cache.resolve("kvmtune.aot"))
                .contains("--enable-native-access=ALL-UNNAMED").endsWith("-cp " + jar + " io.kvmtune.cli.Main --version");

        List<String> second = launch();

        assertThat(second).singleElement().asString().startsWith("jdk-a ").contains("-XX:AOTCache=");
    }

    @Test
    void aNewerJarIsTrainedAgainAndSoIsAnOlderOne() throws Exception {
        launch();
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));

        List<String> newer = launch();

        assertThat(newer).doesNotContain("find-jdk");
        assertThat(trainings(newer)).hasSize(1);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        assertThat(trainings(launch())).hasSize(1);
        assertThat(trainings(launch())).isEmpty();
    }

    @Test
    void aJdkUpdatedInPlaceIsLookedUpAndTrainedAgain() throws Exception {
        launch();
        Files.setLastModifiedTime(jdkA.resolve("release"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        List<String> updated = launch();

        assertThat(updated).first().isEqualTo("find-jdk");
        assertThat(trainings(updated)).singleElement().asString().startsWith("jdk-a ");
        assertThat(launch()).singleElement().asString().startsWith("jdk-a ");
    }

    @Test
    void javaHomeChoosesTheJdkForOneCallWithoutReplacingTheRememberedOne() throws Exception {
        launch();

        List<String> chosen = launch(Map.of("JAVA_HOME", jdkB.toString()));

        assertThat(chosen).first().isEqualTo("find-jdk");
        assertThat(run(chosen)).startsWith("jdk-b ");
        assertThat(Files.readString(cache.resolve("kvmtune.jdk")).strip()).isEqualTo(jdkA.toString());
        assertThat(run(launch())).startsWith("jdk-a ");
    }

    @Test
    void aRememberedJdkThatWasRemovedIsReplaced() throws Exception {
        launch();
        Files.delete(jdkA.resolve("bin/java"));

        List<String> calls = launch(Map.of("PATH", jdkB.resolve("bin") + ":/usr/bin:/bin"));

        assertThat(calls).first().isEqualTo("find-jdk");
        assertThat(run(calls)).startsWith("jdk-b ");
        assertThat(Files.readString(cache.resolve("kvmtune.jdk")).strip()).isEqualTo(jdkB.toString());
    }

    @Test
    void libvirtHookCallsRunInterpretedTheProbeWithC2AndOtherCommandsWithC1() throws Exception {
        launch();

        assertThat(run(launch(Map.of(), "hook", "guest1", "started", "begin", "-"))).contains(" -Xint ")
                .doesNotContain("TieredStopAtLevel");
        assertThat(run(launch(Map.of(), "hook", "install", "--hooks-dir", "/x", "-q"))).contains(" -XX:TieredStopAtLevel=1 ")
                .doesNotContain("-Xint");
        assertThat(run(launch(Map.of(), "probe"))).doesNotContain("TieredStopAtLevel").doesNotContain("-Xint");
        assertThat(run(launch())).contains(" -XX:TieredStopAtLevel=1 ").doesNotContain("-Xint");
    }

    @Test
    void withoutAotNothingIsTrainedOrUsed() throws Exception {
        List<String> calls = launch(Map.of("KVMTUNE_AOT", "off"));

        assertThat(trainings(calls)).isEmpty();
        assertThat(run(calls)).doesNotContain("-XX:AOTCache");
    }

    @Test
    void aDistributionWithItsOwnRuntimeUsesItAndItsShippedCacheAndWritesNothing() throws Exception {
        // The Debian package's layout: /usr/lib/kvmtune/{bin/kvmtune, lib/kvmtune.jar, lib/kvmtune.aot,
        // runtime/}, called through the /usr/bin/kvmtune link.
        Path dist = dir.resolve("usr/lib/kvmtune");
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("lib"));
        Files.copy(LAUNCHER, dist.resolve("bin/kvmtune"));
        Files.writeString(dist.resolve("lib/kvmtune.jar"), "not really a jar");
        Files.writeString(dist.resolve("lib/kvmtune.aot"), "made when the package was built");
        Path runtime = fakeJdk("usr/lib/kvmtune/runtime", "25.0.3");
        Path command = Files.createDirectories(dir.resolve("usr/bin")).resolve("kvmtune");
        Files.createSymbolicLink(command, Path.of("../lib/kvmtune/bin/kvmtune"));
        List<Path> before = files(dir.resolve("usr"));

        ProcessBuilder pb = new ProcessBuilder(command.toString(), "--version").redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("FAKE_LOG", log.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();

        assertThat(Files.readAllLines(log)).singleElement().asString()
                .startsWith(dir.relativize(runtime) + " ")
                .contains("-XX:AOTCache=" + dist.resolve("lib/kvmtune.aot"))
                .contains("-Dkvmtune.launcher=" + command)
                .endsWith("-cp " + dist.resolve("lib/kvmtune.jar") + " io.kvmtune.cli.Main --version");
        assertThat(files(dir.resolve("usr"))).isEqualTo(before);
    }

    private static List<Path> files(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.sorted().toList();
        }
    }

    @Test
    void findJdkReadsTheFeatureReleaseAndSkipsTooOldJdks() throws Exception {
        Path old = fakeJdk("jdk-8", "1.8.0_392");

        assertThat(findJdk(Map.of("JAVA_HOME", jdkB.toString()))).isEqualTo(jdkB.toString());
        assertThat(findJdk(Map.of("JAVA_HOME", old.toString(), "PATH", jdkA.resolve("bin") + ":/usr/bin:/bin")))
                .isEqualTo(jdkA.toString());
        assertThat(findJdk(Map.of("KVMTUNE_JAVA_VERSION", "8", "JAVA_HOME", old.toString()))).isEqualTo(old.toString());
        assertThat(findJdk(Map.of("KVMTUNE_JAVA_VERSION", "26", "PATH", jdkB.resolve("bin") + ":/usr/bin:/bin")))
                .isEqualTo(jdkB.toString());
    }

    private String findJdk(Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        Map<String, String> all = new HashMap<>(Map.of("PATH", "/usr/bin:/bin"));
        all.putAll(env);
        all.forEach((k, v) -> command.add(k + "=" + v));
        command.add(FIND_JDK.toString());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
