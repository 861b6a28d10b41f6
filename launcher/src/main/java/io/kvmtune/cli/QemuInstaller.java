package io.kvmtune.cli;

import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.qemu.ThrowawayGuest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes sure {@code qemu-system-x86_64} is there for the demo: on a Debian-like host, as root, it
 * installs the package non-interactively and says so; otherwise it says exactly what to install.
 */
final class QemuInstaller {

    private static final List<String> INSTALL = List.of("apt-get", "install", "-y", "--no-install-recommends",
            ThrowawayGuest.QEMU_PACKAGE);

    /** What to do about a missing QEMU. */
    enum Action {
        /** It is installed. */
        NOTHING,
        /** Install it with apt-get. */
        INSTALL,
        /** Stop and tell the operator what to install. */
        TELL
    }

    private QemuInstaller() {
    }

    static Action decide(boolean installed, boolean root, boolean debianLike) {
        if (installed) {
            return Action.NOTHING;
        }
        return root && debianLike ? Action.INSTALL : Action.TELL;
    }

    /** What to install, for {@link Action#TELL}. */
    static String instructions(boolean debianLike) {
        return "qemu-system-x86_64 is not installed; " + (debianLike
                ? "install it as root with: apt-get install " + ThrowawayGuest.QEMU_PACKAGE
                : "install the package of your distribution that provides it (Debian/Ubuntu: "
                        + ThrowawayGuest.QEMU_PACKAGE + ", Fedora: qemu-system-x86-core, RHEL/CentOS: qemu-kvm)");
    }

    /**
     * Installs QEMU when it is missing and this can be done here.
     *
     * @param progress where to say what is being done (apt-get's output goes there too)
     * @throws MissingComponentException {@code MissingQemu} saying what to install, or that installing failed
     */
    static void ensure(PrintWriter progress) {
        boolean debianLike = Files.isRegularFile(Path.of("/etc/debian_version"));
        switch (decide(ThrowawayGuest.binary().isPresent(), isRoot(), debianLike)) {
            case NOTHING -> { }
            case TELL -> throw new MissingComponentException("MissingQemu", instructions(debianLike));
            case INSTALL -> {
                progress.println("kvmtune demo: qemu-system-x86_64 is missing; installing the Debian package "
                        + ThrowawayGuest.QEMU_PACKAGE + " (" + String.join(" ", INSTALL) + ")");
                progress.flush();
                // A fresh host often has no package lists yet: update once if the first try fails.
                if (run(INSTALL, progress) != 0 && (run(List.of("apt-get", "update"), progress) != 0 || run(INSTALL, progress) != 0)) {
                    throw new MissingComponentException("MissingQemu", "installing " + ThrowawayGuest.QEMU_PACKAGE
                            + " with apt-get failed (its output is above); install it by hand");
                }
                if (ThrowawayGuest.binary().isEmpty()) {
                    throw new MissingComponentException("MissingQemu", ThrowawayGuest.QEMU_PACKAGE
                            + " was installed but qemu-system-x86_64 is still not on the PATH");
                }
            }
        }
    }

    private static int run(List<String> command, PrintWriter progress) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            Process p = pb.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(progress::println);
            }
            progress.flush();
            return p.waitFor();
        } catch (IOException e) {
            throw new MissingComponentException("MissingQemu", "cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissingComponentException("MissingQemu", "interrupted while installing " + ThrowawayGuest.QEMU_PACKAGE, e);
        }
    }

    /** Effective uid 0, from {@code /proc/self/status} ({@code Uid: real effective saved fs}). */
    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst()
                    .map(l -> l.split("\\s+")[2].equals("0")).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }
}
