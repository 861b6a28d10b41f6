package io.kvmtune.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The repository's Ansible collection ({@code ansible/}), built and installed as an operator would, and commands run for the tests. */
final class AnsibleTools {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private AnsibleTools() {
    }

    /** What a command printed (stdout, with stderr when asked) and its exit status. */
    record Run(int status, String output) {
    }

    static Run run(List<String> command) throws Exception {
        return run(new ProcessBuilder(command));
    }

    static Run run(ProcessBuilder pb) throws Exception {
        if (!pb.redirectErrorStream()) {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(pb.command() + " did not finish in 10 minutes");
        }
        return new Run(p.exitValue(), out);
    }

    /** Skips the test, saying why, when a command it needs is not installed. */
    static void assumeInstalled(String... commands) throws Exception {
        for (String command : commands) {
            Assumptions.assumeTrue(run(List.of("sh", "-c", "command -v " + command)).status() == 0, command + " is not installed");
        }
    }

    /**
     * Builds the collection with {@code ansible-galaxy collection build} and installs the tarball
     * under {@code dir}; returns the collections path to give Ansible ({@code ANSIBLE_COLLECTIONS_PATH}).
     */
    static Path install(Path dir) throws Exception {
        Path built = Files.createDirectories(dir.resolve("built"));
        Path collections = dir.resolve("collections");
        Run build = run(new ProcessBuilder("ansible-galaxy", "collection", "build", REPO.resolve("ansible").toString(),
                "--output-path", built.toString()).redirectErrorStream(true));
        assertThat(build.status()).as(build.output()).isZero();
        Path tarball;
        try (Stream<Path> files = Files.list(built)) {
            tarball = files.findFirst().orElseThrow();
        }
        Run install = run(new ProcessBuilder("ansible-galaxy", "collection", "install", tarball.toString(), "-p",
                collections.toString()).redirectErrorStream(true));
        assertThat(install.status()).as(install.output()).isZero();
        return collections;
    }

    /** The installed collection's own directory under {@code collections}. */
    static Path installed(Path collections) {
        return collections.resolve("ansible_collections/kvmtune/host");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
