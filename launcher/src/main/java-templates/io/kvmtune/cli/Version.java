package io.kvmtune.cli;

/**
 * The version line of {@code kvmtune --version}. The version is written into this source by the
 * build (src/main/java-templates), not read from a resource at run time: reading one opens the
 * jar and its whole central directory, which nothing else on the short paths needs.
 */
final class Version {

    private static final String VERSION = "${project.version}";

    private Version() {
    }

    static String line() {
        return "kvmtune " + VERSION + " (Java " + Runtime.version() + ")";
    }
}
