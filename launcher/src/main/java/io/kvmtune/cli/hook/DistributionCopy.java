package io.kvmtune.cli.hook;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A distribution of kvmtune copied out of a source checkout ({@code <dir>/bin/kvmtune},
 * {@code <dir>/lib/kvmtune.jar}, {@code <dir>/lib/find-jdk}), for the libvirt hook to run: a hook
 * that ran the checkout itself would fail every tuned guest's start once the checkout is moved,
 * cleaned or rebuilt half-way. An installed package needs none: its /usr/bin/kvmtune stays put.
 */
public final class DistributionCopy {

    /** Where {@code hook install} puts it by default: software installed locally, outside any package. */
    public static final Path DEFAULT_DIR = Path.of("/usr/local/lib/kvmtune");
    /** Marks a directory this class filled, so that removing it never deletes anything else. */
    static final String MARKER = ".installed-by-kvmtune-hook-install";

    private final Path dir;

    public DistributionCopy(Path dir) {
        this.dir = dir;
    }

    /** The command in the copy, for the hook to run. */
    public Path command() {
        return dir.resolve("bin/kvmtune");
    }

    /**
     * Copies the checkout's distribution launcher, built jar and find-jdk, replacing an earlier copy.
     *
     * @throws MissingComponentException {@code NotBuilt} when the checkout's jar is missing
     * @throws InvalidInputException {@code DistributionConflict} when the directory holds files
     *     this class did not put there
     */
    public void install(Path checkout) throws IOException {
        Path jar = checkout.resolve("launcher/target/kvmtune.jar");
        if (!Files.isRegularFile(jar)) {
            throw new MissingComponentException("NotBuilt", jar + " is missing; build it with " + checkout.resolve("kvmtune")
                    + " --version");
        }
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER)) && !isEmpty(dir)) {
            throw new InvalidInputException("DistributionConflict", "--dist-dir", dir.toString(),
                    dir + " exists and was not written by kvmtune hook install; not replacing it");
        }
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve(MARKER), "copied from " + checkout + " by kvmtune hook install\n");
        copy(checkout.resolve("launcher/src/dist/bin/kvmtune"), command(), true);
        copy(jar, dir.resolve("lib/kvmtune.jar"), false);
        copy(checkout.resolve("scripts/find-jdk"), dir.resolve("lib/find-jdk"), true);
    }

    /**
     * Removes the copy when this class made it.
     *
     * @return whether there was one to remove
     */
    public boolean uninstall() throws IOException {
        if (!Files.exists(dir.resolve(MARKER))) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        return true;
    }

    /** Atomically, so that a hook starting meanwhile runs the old file or the new one, never half of one. */
    private static void copy(Path from, Path to, boolean executable) throws IOException {
        Path temp = to.resolveSibling("." + to.getFileName() + ".tmp");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
