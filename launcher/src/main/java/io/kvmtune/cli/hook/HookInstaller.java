package io.kvmtune.cli.hook;

import io.kvmtune.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Installs kvmtune as a libvirt qemu hook without touching anyone else's.
 *
 * <p>kvmtune adds one executable, {@code qemu.d/50-kvmtune}, beside whatever is there; libvirt
 * (6.5.0 and later) runs every executable in {@code qemu.d} after the main {@code qemu} script,
 * and an existing {@code qemu} script is never read or changed. libvirt decides whether a qemu
 * hook exists only when the daemon starts (or reloads): if neither an executable {@code qemu} nor
 * any executable in {@code qemu.d} existed, the daemon must be restarted before kvmtune is called.
 * {@link #uninstall} removes exactly the file {@link #install} wrote, and the {@code qemu.d}
 * directory only if install created it and it is empty again.
 */
public final class HookInstaller {

    /** libvirt's hooks directory ({@code $SYSCONFDIR/libvirt/hooks}). */
    public static final Path DEFAULT_HOOKS_DIR = Path.of("/etc/libvirt/hooks");
    static final String SCRIPT = "50-kvmtune";
    /** Marks the script as ours, so that uninstall never deletes a file it did not write. */
    static final String MARKER = "# installed by kvmtune hook install";
    /** Left in qemu.d when install created it, so that uninstall removes only what install added. */
    static final String CREATED_MARKER = ".kvmtune-created-dir";

    private final Path hooksDir;

    public HookInstaller(Path hooksDir) {
        this.hooksDir = hooksDir;
    }

    /** What install did. */
    public record Installed(Path script, boolean replacedOlderKvmtuneScript, boolean daemonRestartNeeded) {
    }

    /**
     * Writes the hook script calling {@code launcher} (the absolute path of the kvmtune command).
     *
     * @throws InvalidInputException ({@code HookConflict}) when a file of that name exists that
     *     kvmtune did not write
     */
    public Installed install(Path launcher) throws IOException {
        Path qemuD = hooksDir.resolve("qemu.d");
        boolean hookRegistered = isExecutableFile(hooksDir.resolve("qemu")) || hasExecutable(qemuD);
        if (!Files.isDirectory(qemuD)) {
            Files.createDirectories(qemuD);
            Files.writeString(qemuD.resolve(CREATED_MARKER), "qemu.d was created by kvmtune hook install\n");
        }
        Path script = qemuD.resolve(SCRIPT);
        boolean replaced = Files.exists(script);
        if (replaced && !isOurs(script)) {
            throw conflict(script, "exists and was not written by kvmtune; not replacing it");
        }
        Path temp = qemuD.resolve("." + SCRIPT + ".tmp");
        Files.writeString(temp, script(launcher));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(temp, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // Our script itself counts once the daemon has looked; before, only what was there counts.
        return new Installed(script, replaced, !hookRegistered);
    }

    /**
     * Removes the script install wrote, and {@code qemu.d} if install created it and nothing else is
     * in it now.
     *
     * @return the paths removed (empty when kvmtune was not installed)
     */
    public List<Path> uninstall() throws IOException {
        Path qemuD = hooksDir.resolve("qemu.d");
        Path script = qemuD.resolve(SCRIPT);
        List<Path> removed = new java.util.ArrayList<>();
        if (Files.exists(script)) {
            if (!isOurs(script)) {
                throw conflict(script, "was not written by kvmtune; not removing it");
            }
            Files.delete(script);
            removed.add(script);
        }
        Path created = qemuD.resolve(CREATED_MARKER);
        if (Files.exists(created)) {
            try (Stream<Path> left = Files.list(qemuD)) {
                if (left.allMatch(created::equals)) {
                    Files.delete(created);
                    Files.delete(qemuD);
                    removed.add(qemuD);
                }
            }
        }
        return removed;
    }

    /**
     * The hook script. libvirt gives hooks a minimal environment, so the launcher is called by its
     * absolute path; {@code exec} leaves no shell in between holding libvirt's pipes.
     */
    public static String script(Path launcher) {
        return "#!/bin/sh\n"
                + MARKER + "\n"
                + "# libvirt runs this for every QEMU domain with DOMAIN OP SUBOP EXTRA and the domain XML on stdin.\n"
                + "# Domains without kvmtune metadata are left alone. Remove with: kvmtune hook uninstall\n"
                + "exec '" + launcher.toString().replace("'", "'\\''") + "' hook \"$@\"\n";
    }

    private static InvalidInputException conflict(Path script, String what) {
        return new InvalidInputException("HookConflict", "--hooks-dir", script.toString(), script + " " + what);
    }

    private static boolean isOurs(Path script) throws IOException {
        return Files.isRegularFile(script) && Files.readString(script).contains(MARKER);
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    private static boolean hasExecutable(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(HookInstaller::isExecutableFile);
        }
    }
}
