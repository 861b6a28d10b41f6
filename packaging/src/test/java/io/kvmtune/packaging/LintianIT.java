package io.kvmtune.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Debian's own checks on the built package: lintian reports no error (overrides carry their reason). */
class LintianIT {

    @Test
    void lintianFindsNoErrorInThePackage() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/lintian")), "lintian is not installed (Debian package lintian)");
        Path deb;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("kvmtune_.*_amd64\\.deb")).toList();
            assertThat(debs).as("the package phase built one .deb").hasSize(1);
            deb = debs.getFirst();
        }
        Process lintian = new ProcessBuilder("lintian", "--fail-on", "error", deb.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String report = new String(lintian.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lintian.waitFor(5, TimeUnit.MINUTES)).as("lintian finished").isTrue();

        assertThat(report.lines()).as(report).noneMatch(l -> l.startsWith("E: "));
        assertThat(lintian.exitValue()).as(report).isZero();
    }
}
