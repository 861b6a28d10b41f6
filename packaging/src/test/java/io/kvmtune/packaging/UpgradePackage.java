package io.kvmtune.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A later release of the built package, made from it the way the build makes a release: the
 * built .deb unpacked with {@code dpkg-deb -R}, the command's jar given another version (its
 * {@code Version} class compiled from the launcher's template with that version), the Java
 * runtime and the AOT cache made again for that jar by the build's own
 * {@code packaging/src/build/runtime.sh}, the control file's Version and the md5sums updated, and
 * packed again with {@code dpkg-deb -b}. Everything else (conffile, hook, unit, maintainer
 * scripts) is the built package's, so an upgrade to it exercises dpkg and those scripts, and its
 * {@code kvmtune --version} tells which release's files are installed.
 */
final class UpgradePackage {

    private static final Path TEMPLATE = Path.of("../launcher/src/main/java-templates/io/kvmtune/cli/Version.java");
    private static final Path RUNTIME_SCRIPT = Path.of("src/build/runtime.sh");

    private UpgradePackage() {
    }

    /**
     * @param built the package the build made
     * @param version the later release's version as {@code kvmtune --version} shows it (Maven's spelling)
     * @param debianVersion the same in Debian's spelling, which dpkg must order after the built one's
     * @param work an empty directory
     */
    static Path of(Path built, String version, String debianVersion, Path work) throws IOException, InterruptedException {
        Path jdk = Path.of(System.getProperty("java.home"));
        Path root = work.resolve("root");
        run(work, "dpkg-deb", "-R", built.toString(), root.toString());
        Path lib = root.resolve("usr/lib/kvmtune/lib");

        Path source = work.resolve("src/io/kvmtune/cli/Version.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, Files.readString(TEMPLATE).replace("${project.version}", version));
        Path classes = work.resolve("classes");
        run(work, jdk.resolve("bin/javac").toString(), "-d", classes.toString(), source.toString());
        Path jar = Files.copy(lib.resolve("kvmtune.jar"), work.resolve("kvmtune.jar"));
        run(work, jdk.resolve("bin/jar").toString(), "uf", jar.toString(), "-C", classes.toString(),
                "io/kvmtune/cli/Version.class");
        run(work, "bash", RUNTIME_SCRIPT.toAbsolutePath().toString(), jdk.toString(), jar.toString(), root.toString());

        Path control = root.resolve("DEBIAN/control");
        String fields = Files.readString(control);
        assertThat(fields).containsPattern("(?m)^Version: ");
        Files.writeString(control, fields.replaceFirst("(?m)^Version: .*$", "Version: " + debianVersion));
        // md5sums lists every file but the DEBIAN ones, relative to the root, as dpkg-deb -R left them
        run(root, "sh", "-c", "find . -path ./DEBIAN -prune -o -type f -printf '%P\\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums");

        Path deb = work.resolve("kvmtune_" + debianVersion + "_amd64.deb");
        run(work, "dpkg-deb", "--root-owner-group", "-b", root.toString(), deb.toString());
        return deb;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).as(List.of(command) + " finished").isTrue();
            assertThat(p.exitValue()).as(List.of(command) + ": " + out).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
