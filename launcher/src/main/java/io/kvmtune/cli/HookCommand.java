package io.kvmtune.cli;

import io.kvmtune.cli.hook.DistributionCopy;
import io.kvmtune.cli.hook.HookInstaller;
import io.kvmtune.cli.hook.HookMain;
import io.kvmtune.cli.hook.HookSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

    @Parameters(index = "0", arity = "0..1", paramLabel = "DOMAIN", description = "The domain name.")
    String domain;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OP", description = "prepare, start, started, stopped, release, migrate, restore, reconnect.")
    String operation;

    @Parameters(index = "2", arity = "0..1", paramLabel = "SUBOP", description = "begin, end or -.")
    String subOperation;

    @Parameters(index = "3", arity = "0..1", paramLabel = "EXTRA", description = "-, or the shutoff reason for release.")
    String extra;

    @Override
    ExitStatus run() {
        // Optional in picocli's eyes only, so that "hook install" is not taken for a protocol call missing arguments.
        if (extra == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "hook takes DOMAIN OP SUBOP EXTRA (the libvirt qemu hook arguments), or install or uninstall");
        }
        // The hook protocol speaks bytes: the XML filters must pass stdin through unchanged.
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = HookMain.run(List.of(domain, operation, subOperation, extra), System.in, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), hostState());
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

        @Option(names = "--dist-dir", paramLabel = "DIR",
                description = "Where install copies kvmtune when it runs from a source checkout, so that the hook "
                        + "does not run the checkout (default: /usr/local/lib/kvmtune); uninstall removes that copy.")
        Path distDir = DistributionCopy.DEFAULT_DIR;
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
            Optional<Path> checkout = Optional.ofNullable(System.getProperty("kvmtune.checkout")).map(Path::of);
            Path command;
            Optional<Path> copied = Optional.empty();
            if (launcher != null) {
                command = launcher;
            } else if (checkout.isPresent()) {
                DistributionCopy copy = new DistributionCopy(hooks.distDir);
                copy.install(checkout.get());
                warmUp(copy.command());
                command = copy.command();
                copied = Optional.of(hooks.distDir);
            } else {
                command = runningLauncher();
            }
            HookInstaller.Installed done = new HookInstaller(hooks.dir).install(command.toAbsolutePath());
            String restart = done.daemonRestartNeeded()
                    ? "libvirt had no qemu hook when it started: restart the daemon (virtqemud or libvirtd) so it calls kvmtune"
                    : "libvirt already runs qemu hooks: no restart needed";
            if (format() == OutputFormat.JSON) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("installed", done.script().toString());
                json.put("command", command.toAbsolutePath().toString());
                json.put("copied_to", copied.map(Path::toString).orElse(null));
                json.put("replaced", done.replacedOlderKvmtuneScript());
                json.put("restart_needed", done.daemonRestartNeeded());
                out().println(io.kvmtune.core.json.Json.write(json));
            } else {
                copied.ifPresent(dir -> out().println("copied kvmtune from " + checkout.get() + " to " + dir
                        + ": the hook does not run the checkout"));
                out().println((done.replacedOlderKvmtuneScript() ? "updated " : "installed ") + done.script()
                        + " -> " + command.toAbsolutePath());
                out().println(restart);
            }
            return ExitStatus.OK;
        }

        /**
         * Runs the copy once, so that its launcher makes its AOT cache now rather than while the
         * first tuned guest starts. Without the checkout's environment, as libvirt runs it; a
         * failure only costs that guest's hook the training time.
         */
        private void warmUp(Path command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command.toString(), "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().keySet().removeIf(name -> name.startsWith("KVMTUNE_"));
            Process run = pb.start();
            try {
                if (!run.waitFor(5, TimeUnit.MINUTES)) {
                    err().println("kvmtune: " + command + " --version did not finish in 5 minutes; its first hook call "
                            + "makes its AOT cache");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                run.destroy();
            }
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
            List<Path> removed = new ArrayList<>();
            try {
                removed.addAll(new HookInstaller(hooks.dir).uninstall());
                if (new DistributionCopy(hooks.distDir).uninstall()) {
                    removed.add(hooks.distDir);
                }
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
