package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** One in-process run of the kvmtune command line: exit status and what it wrote. */
record CommandRun(int status, String out, String err) {

    /** Through picocli, whatever the arguments; host state where this JVM's {@code -Dkvmtune.*} properties say. */
    static CommandRun kvmtune(String... args) {
        return throughPicocli(HookSettings::fromSystemProperties, args);
    }

    /** Through picocli, with the host state (apply records, claims ledger, ...) where {@code hostState} says. */
    static CommandRun kvmtune(HookSettings hostState, String... args) {
        return throughPicocli(() -> hostState, args);
    }

    private static CommandRun throughPicocli(Supplier<HookSettings> hostState, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Cli.forArguments(args, new PrintWriter(out, true), new PrintWriter(err, true), hostState)
                .execute(args);
        return new CommandRun(status, out.toString(), err.toString());
    }

    /** Through {@link Main}, which takes the picocli-free paths where the arguments allow them. */
    static CommandRun main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
