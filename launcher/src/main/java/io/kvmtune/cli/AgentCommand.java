package io.kvmtune.cli;

import io.kvmtune.agent.Agent;
import io.kvmtune.agent.AgentSettings;
import io.kvmtune.agent.AgentStatusTable;
import io.kvmtune.agent.StatusClient;
import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.spec.IniConfig;
import io.kvmtune.linux.LinuxException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kvmtune agent run|status}: hands over to the agent module. The libvirt hook never comes
 * here ({@link Main} takes it before picocli), so it never loads the agent's or Prometheus's
 * classes.
 */
@Command(name = "agent", description = "The resident agent: tunes QEMU threads as they are born, keeps them tuned, "
        + "exports Prometheus metrics.", subcommands = {AgentCommand.Run.class, AgentCommand.Status.class})
final class AgentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "agent needs one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * The agent's settings: {@code [agent]} of the host configuration ({@code --config}, else what
     * the hook reads: {@code -Dkvmtune.config} or the default chain), and the hook's state paths ({@code paths}).
     */
    static AgentSettings settings(GlobalOptions global, HookSettings paths) {
        Optional<Path> configFile = global.config != null ? global.configFile() : paths.configFile();
        IniConfig config = configFile.map(AgentCommand::read).orElse(IniConfig.empty());
        return AgentSettings.of(config, paths.stateDir(), paths.libvirtRunDir(), paths.procRoot(), paths.claimsFile());
    }

    private static IniConfig read(Path file) {
        try {
            return IniConfig.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Command(name = "run", description = "Run the agent in the foreground until SIGTERM or SIGINT; logs to stderr.")
    static final class Run extends Subcommand {

        @Override
        ExitStatus run() throws InterruptedException {
            AgentSettings settings = settings(global, hostState());
            Agent agent;
            try {
                agent = Agent.start(settings, new PrintStream(System.err, true, StandardCharsets.UTF_8));
            } catch (LinuxException e) {
                throw new MissingComponentException("ProcEventsUnavailable", "cannot subscribe to the kernel's process"
                        + " events: " + e.getMessage() + " (the agent needs root and CONFIG_PROC_EVENTS)", e);
            }
            Thread worker = Thread.currentThread();
            Thread onSignal = new Thread(() -> {
                agent.stop();
                try {
                    worker.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "kvmtune-agent-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            agent.run();
            return ExitStatus.OK;
        }
    }

    @Command(name = "status", description = "What the running agent follows: guests, threads, last drift, counters.")
    static final class Status extends Subcommand {

        @Override
        ExitStatus run() {
            String json = StatusClient.status(settings(global, hostState()).statusSocket());
            if (format() == OutputFormat.JSON) {
                out().print(json);
            } else {
                out().print(AgentStatusTable.render(json));
            }
            return ExitStatus.OK;
        }
    }
}
