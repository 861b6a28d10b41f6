package io.kvmtune.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version line of {@code kvmtune --version}, from the build's filtered resource. */
final class Version {

    private Version() {
    }

    static String line() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "kvmtune " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ")";
    }
}
