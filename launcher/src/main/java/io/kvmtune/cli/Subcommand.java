package io.kvmtune.cli;

import io.kvmtune.core.apply.ApplyFailedException;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every kvmtune subcommand: the global options, output to the streams the command line
 * was given (so tests run commands in-process), and the exit status as the return value.
 * Failures are thrown, never printed here: {@link ErrorHandler} reports them.
 */
abstract class Subcommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    /** The output formats this command writes; table and json unless overridden. */
    Set<OutputFormat> formats() {
        return EnumSet.of(OutputFormat.TABLE, OutputFormat.JSON);
    }

    @Override
    public final Integer call() throws Exception {
        if (!formats().contains(global.format())) {
            throw new ParameterException(spec.commandLine(), "--format " + global.format().name().toLowerCase()
                    + " is not available for " + spec.qualifiedName() + " (use table or json)");
        }
        return run().code();
    }

    abstract ExitStatus run() throws Exception;

    /**
     * Reports an apply that failed and was rolled back: CLI.md's error line on stderr, and the
     * rollback report on stdout (in JSON beside the error object).
     */
    ExitStatus rolledBack(ApplyFailedException e) {
        Failure failure = Failure.of(e);
        err().println(failure.line());
        err().flush();
        out().print(format() == OutputFormat.JSON ? failure.json(Map.of("rollback", e.rollback())) + "\n"
                : "rolled back:\n" + ThreadTables.restore(e.rollback()));
        return failure.status();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    OutputFormat format() {
        return global.format();
    }
}
