package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.ApplyFailedException;
import java.io.PrintWriter;
import java.util.EnumSet;
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

    /** {@link ApplyOutput#rolledBack} on this command's streams and format. */
    ExitStatus rolledBack(ApplyFailedException e) {
        return ApplyOutput.rolledBack(e, format(), out(), err());
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

    /** Where apply records, the claims ledger, libvirt's state and /proc are: as the command line was made ({@link Cli}). */
    HookSettings hostState() {
        return ((KvmtuneCommand) spec.root().userObject()).hostState();
    }
}
