package io.kvmtune.packaging;

import io.kvmtune.cli.Cli;
import io.kvmtune.cli.hook.HookInstaller;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes the Debian package's files that come from the code rather than from src/deb: the man
 * page and bash completion (from the picocli command model), the libvirt hook script (the one
 * {@code kvmtune hook install} writes, calling /usr/bin/kvmtune) and the Debian changelog. Run by
 * the build with the package tree's root and the Maven version.
 */
public final class PackageFiles {

    static final Path COMMAND = Path.of("/usr/bin/kvmtune");

    private PackageFiles() {
    }

    /** @param args the package tree's root, the Maven version */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), debianVersion(args[1]), buildTime());
    }

    /**
     * The Debian version of a Maven version, as jdeb writes it into the control file: a
     * pre-release suffix sorts before the release ({@code 0.1.0-SNAPSHOT} is {@code 0.1.0~SNAPSHOT}).
     */
    static String debianVersion(String mavenVersion) {
        return mavenVersion.replaceFirst("-", "~");
    }

    static void write(Path root, String debianVersion, ZonedDateTime time) throws IOException {
        CommandLine cli = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String manPage = new ManPage(cli, debianVersion, time.format(DateTimeFormatter.ISO_LOCAL_DATE)).render();
        gzip(root.resolve("usr/share/man/man1/kvmtune.1.gz"), manPage);
        // bash sources completions: a #! line would only mislead.
        String completion = AutoComplete.bash("kvmtune", cli).replaceFirst("\\A#!.*\n", "");
        text(root.resolve("usr/share/bash-completion/completions/kvmtune"), completion, false);
        text(root.resolve("usr/lib/kvmtune/libvirt-hook"), HookInstaller.script(COMMAND), true);
        gzip(root.resolve("usr/share/doc/kvmtune/changelog.gz"), changelog(debianVersion, time));
    }

    /** A native package's changelog: one entry, for the version being built. */
    static String changelog(String debianVersion, ZonedDateTime time) {
        return "kvmtune (" + debianVersion + ") unstable; urgency=medium\n\n"
                + "  * Built from the kvmtune source tree; its history lists the changes.\n\n"
                + " -- kvmtune developers <dev@kvmtune.io>  "
                + time.format(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT))
                + "\n";
    }

    /** SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
    private static ZonedDateTime buildTime() {
        Instant at = Optional.ofNullable(System.getenv("SOURCE_DATE_EPOCH"))
                .map(s -> Instant.ofEpochSecond(Long.parseLong(s))).orElseGet(Instant::now);
        return at.atZone(ZoneOffset.UTC);
    }

    private static void text(Path file, String content, boolean executable) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    /**
     * gzip -9n: Debian wants man pages and changelogs compressed at most, without a name or time
     * in the header, and its checks read the header's "maximum compression" flag, which
     * GZIPOutputStream leaves at zero; so the member is written here (RFC 1952).
     */
    private static void gzip(Path file, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        CRC32 crc = new CRC32();
        crc.update(data);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            // magic, deflate, no flags, mtime 0, XFL 2 (maximum compression), OS 3 (Unix)
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
            try (DeflaterOutputStream deflated = new DeflaterOutputStream(new NonClosing(out), deflater)) {
                deflated.write(data);
            }
            out.write(littleEndian((int) crc.getValue()));
            out.write(littleEndian(data.length));
        } finally {
            deflater.end();
        }
    }

    private static byte[] littleEndian(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    /** Lets the deflater finish its stream without closing the file it is part of. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
