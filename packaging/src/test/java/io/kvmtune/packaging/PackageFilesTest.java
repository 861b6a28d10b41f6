package io.kvmtune.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.cli.Cli;
import io.kvmtune.cli.ExitStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The files the package gets from the command model, and the forms Debian expects of them. */
class PackageFilesTest {

    private static final ZonedDateTime TIME = ZonedDateTime.of(2026, 12, 6, 9, 5, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path root;

    private static CommandLine cli() {
        return Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void aMavenPreReleaseSortsBeforeItsReleaseInDebian() {
        assertThat(PackageFiles.debianVersion("0.1.0-SNAPSHOT")).isEqualTo("0.1.0~SNAPSHOT");
        assertThat(PackageFiles.debianVersion("1.2.3")).isEqualTo("1.2.3");
    }

    @Test
    void theChangelogIsOneDebianEntryForTheVersion() {
        assertThat(PackageFiles.changelog("0.1.0~SNAPSHOT", TIME).lines().toList()).containsExactly(
                "kvmtune (0.1.0~SNAPSHOT) unstable; urgency=medium",
                "",
                "  * Built from the kvmtune source tree; its history lists the changes.",
                "",
                " -- kvmtune developers <dev@kvmtune.io>  Sun, 06 Dec 2026 09:05:00 +0000");
    }

    @Test
    void theManPageHasEveryCommandAndEveryExitCode() {
        String page = new ManPage(cli(), "0.1.0~SNAPSHOT", "2026-12-06").render();

        assertThat(page).startsWith(".TH KVMTUNE 1 \"2026-12-06\" \"kvmtune 0.1.0~SNAPSHOT\"");
        cli().getSubcommands().keySet()
                .forEach(name -> assertThat(page).contains(".SS \"kvmtune " + ManPage.escape(name) + "\""));
        assertThat(page).contains(".SS \"kvmtune hostprep check\"", ".SS \"kvmtune hook install\"");
        Arrays.stream(ExitStatus.values()).forEach(s -> assertThat(page).contains(".TP\n.B " + s.code() + "\n"));
        assertThat(page).contains("\\fB\\-\\-vcpus\\fR");
        // --format and --config once, in OPTIONS, not under each of the commands
        String format = "\\fB\\-\\-format\\fR";
        assertThat(page.indexOf(format)).isPositive().isEqualTo(page.lastIndexOf(format))
                .isGreaterThan(page.indexOf(".SH OPTIONS")).isLessThan(page.indexOf(".SH COMMANDS"));
        assertThat(page.lines()).noneMatch(line -> line.startsWith(".") && line.contains("${"));
    }

    @Test
    void roffControlCharactersAreTakenLiterally() {
        assertThat(ManPage.escape("a-b\\c\n.starts with a dot\n'quote"))
                .isEqualTo("a\\-b\\ec\n\\&.starts with a dot\n\\&'quote");
    }

    @Test
    void writesTheManPageCompletionHookAndChangelog() throws IOException {
        PackageFiles.write(root, "0.1.0~SNAPSHOT", TIME);

        byte[] man = Files.readAllBytes(root.resolve("usr/share/man/man1/kvmtune.1.gz"));
        assertThat(man[8]).as("gzip header: maximum compression").isEqualTo((byte) 2);
        assertThat(gunzip(man)).startsWith(".TH KVMTUNE 1");
        assertThat(gunzip(Files.readAllBytes(root.resolve("usr/share/doc/kvmtune/changelog.gz"))))
                .startsWith("kvmtune (0.1.0~SNAPSHOT)");
        assertThat(Files.readString(root.resolve("usr/share/bash-completion/completions/kvmtune")))
                .doesNotStartWith("#!").contains("complete -F");
        Path hook = root.resolve("usr/lib/kvmtune/libvirt-hook");
        assertThat(Files.readString(hook)).contains("exec '/usr/bin/kvmtune' hook \"$@\"");
        assertThat(Files.isExecutable(hook)).isTrue();
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
