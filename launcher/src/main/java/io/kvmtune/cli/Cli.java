package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The picocli command line, wired once: subcommands, output streams, case-insensitive enum
 * values, and the single error handler. Kept apart from {@link Main} so the hook path never loads
 * picocli.
 *
 * <p>picocli builds the model of every subcommand it is given, by reflection, before parsing:
 * for all of kvmtune's that is most of a cold start (about 300 ms of a 450 ms {@code apply} on the
 * development VM). A command line made {@link #forArguments for the arguments} therefore holds
 * only the subcommand they name; the full tree is built when they name none (help, usage errors).
 */
public final class Cli {

    /** Every subcommand, in the order {@code kvmtune --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(PlanCommand.class, ApplyCommand.class,
            ShowCommand.class, VerifyCommand.class, RestoreCommand.class, XmlCommand.class, HookCommand.class,
            HostprepCommand.class, CpuModelsCommand.class, DemoCommand.class, ProbeCommand.class,
            AgentCommand.class);

    private Cli() {
    }

    /** The whole command line, writing to {@code out} and {@code err}; tests call {@code execute} on it in-process. */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        return wired(SUBCOMMANDS, out, err, HookSettings::fromSystemProperties);
    }

    /**
     * A command line for {@code args}: only the subcommand named by the first argument, when it
     * names one; host state where the {@code -Dkvmtune.*} properties of this JVM say.
     */
    public static CommandLine forArguments(String[] args, PrintWriter out, PrintWriter err) {
        return forArguments(args, out, err, HookSettings::fromSystemProperties);
    }

    /**
     * As {@link #forArguments(String[], PrintWriter, PrintWriter)}, with the host state (apply
     * records, claims ledger, ...) where {@code hostState} says: for tests that run commands
     * in-process against state of their own.
     */
    public static CommandLine forArguments(String[] args, PrintWriter out, PrintWriter err,
            Supplier<HookSettings> hostState) {
        String first = args.length > 0 ? args[0] : "";
        List<Class<?>> named = SUBCOMMANDS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(first)).toList();
        return wired(named.isEmpty() ? SUBCOMMANDS : named, out, err, hostState);
    }

    private static CommandLine wired(List<Class<?>> subcommands, PrintWriter out, PrintWriter err,
            Supplier<HookSettings> hostState) {
        ErrorHandler errors = new ErrorHandler();
        CommandLine commandLine = new CommandLine(new KvmtuneCommand(hostState));
        subcommands.forEach(commandLine::addSubcommand);
        return commandLine
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }
}
