package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookInstaller;
import io.kvmtune.cli.hook.HookMain;
import io.kvmtune.cli.hook.HookSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kvmtune hook DOMAIN OP SUBOP EXTRA} and {@code hook install|uninstall}. libvirt's calls
 * normally never get here ({@link Main} hands them to {@link HookMain} before picocli loads); this
 * form serves in-process callers and {@code --help}.
 */
@Command(name = "hook", description = "libvirt qemu hook protocol (domain XML on stdin), or install/uninstall it.",
        subcommands = {HookCommand.Install.class, HookCommand.Uninstall.class})
final class HookCommand extends Subcommand {

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "The domain name.")
    String domain;

    @Parameters(index = "1", paramLabel = "OP", description = "prepare, start, started, stopped, release, migrate, restore, reconnect.")
    String operation;

    @Parameters(index = "2", paramLabel = "SUBOP", description = "begin, end or -.")
    String subOperation;

    @Parameters(index = "3", paramLabel = "EXTRA", description = "-, or the shutoff reason for release.")
    String extra;

    @Override
    ExitStatus run() {
        // The hook protocol speaks bytes: the XML filters must pass stdin through unchanged.
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = HookMain.run(List.of(domain, operation, subOperation, extra), System.in, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), HookSettings.fromSystemProperties());
        out().print(stdout.toString(StandardCharsets.UTF_8));
        err().print(stderr.toString(StandardCharsets.UTF_8));
        return status == 0 ? ExitStatus.OK : statusOf(status);
    }

    private static ExitStatus statusOf(int code) {
        for (ExitStatus s : ExitStatus.values()) {
            if (s.code() == code) {
                return s;
            }
        }
        return ExitStatus.INTERNAL_ERROR;
    }

    /** Options shared by install and uninstall. */
    static final class HooksDir {
        @Option(names = "--hooks-dir", paramLabel = "DIR",
                description = "libvirt's hooks directory (default: /etc/libvirt/hooks).")
        Path dir = HookInstaller.DEFAULT_HOOKS_DIR;
    }

    @Command(name = "install", description = "Install kvmtune into libvirt's qemu.d hooks without touching other hooks.")
    static final class Install extends Subcommand {

        @picocli.CommandLine.Mixin
        HooksDir hooks;

        @Option(names = "--launcher", paramLabel = "PATH",
                description = "The kvmtune command the hook runs (default: the one running now).")
        Path launcher;

        @Override
        ExitStatus run() throws IOException {
            Path command = launcher != null ? launcher : runningLauncher();
            HookInstaller.Installed done = new HookInstaller(hooks.dir).install(command.toAbsolutePath());
            String restart = done.daemonRestartNeeded()
                    ? "libvirt had no qemu hook when it started: restart the daemon (virtqemud or libvirtd) so it calls kvmtune"
                    : "libvirt already runs qemu hooks: no restart needed";
            if (format() == OutputFormat.JSON) {
                out().println(io.kvmtune.core.json.Json.write(java.util.Map.of(
                        "installed", done.script().toString(),
                        "replaced", done.replacedOlderKvmtuneScript(),
                        "restart_needed", done.daemonRestartNeeded())));
            } else {
                out().println((done.replacedOlderKvmtuneScript() ? "updated " : "installed ") + done.script()
                        + " -> " + command.toAbsolutePath());
                out().println(restart);
            }
            return ExitStatus.OK;
        }

        private static Path runningLauncher() {
            String path = System.getProperty("kvmtune.launcher");
            if (path == null) {
                throw io.kvmtune.core.InvalidInputException.invalid("--launcher", null,
                        "cannot tell which kvmtune command is running (started without the kvmtune script); pass --launcher PATH");
            }
            return Path.of(path);
        }
    }

    @Command(name = "uninstall", description = "Remove exactly what hook install added.")
    static final class Uninstall extends Subcommand {

        @picocli.CommandLine.Mixin
        HooksDir hooks;

        @Override
        ExitStatus run() throws IOException {
            List<Path> removed;
            try {
                removed = new HookInstaller(hooks.dir).uninstall();
            } catch (IOException e) {
                throw new UncheckedIOException("removing the kvmtune hook from " + hooks.dir, e);
            }
            if (format() == OutputFormat.JSON) {
                out().println(io.kvmtune.core.json.Json.write(java.util.Map.of(
                        "removed", removed.stream().map(Path::toString).toList())));
            } else if (removed.isEmpty()) {
                out().println("kvmtune was not installed in " + hooks.dir);
            } else {
                removed.forEach(p -> out().println("removed " + p));
            }
            return ExitStatus.OK;
        }
    }
}
