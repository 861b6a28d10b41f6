package io.kvmtune.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The picocli command line, wired once: output streams, case-insensitive enum values, and the
 * single error handler. Kept apart from {@link Main} so the hook path never loads picocli.
 */
public final class Cli {

    private Cli() {
    }

    /** A command line writing to {@code out} and {@code err}; tests call {@code execute} on it in-process. */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new KvmtuneCommand())
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }
}
