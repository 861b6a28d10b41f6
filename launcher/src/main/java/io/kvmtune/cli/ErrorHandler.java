package io.kvmtune.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Reports every failure of the picocli path in CLI.md's format: one line on stderr, and with
 * {@code --format json} the error object on stdout. Usage errors exit 2; everything else as
 * {@link Failure#of} classifies it.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        Throwable cause = ex.getCause();
        // A converter or validation that threw a kvmtune error keeps its own code.
        Failure failure = cause instanceof io.kvmtune.core.KvmtuneException
                ? Failure.of(cause)
                : Failure.usage(ex.getMessage() + " (see " + cl.getCommandSpec().qualifiedName(" ") + " --help)");
        return report(cl, failure, wantsJson(args));
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        if (ex instanceof ParameterException pe) {
            return handleParseException(pe, parsed.originalArgs().toArray(String[]::new));
        }
        return Failure.report(ex, cl.getOut(), cl.getErr(), wantsJson(parsed.originalArgs().toArray(String[]::new)));
    }

    private static int report(CommandLine cl, Failure failure, boolean json) {
        return failure.print(cl.getOut(), cl.getErr(), json);
    }

    /**
     * Whether the arguments ask for JSON. Read from the raw arguments because a usage error can
     * stop parsing before {@code --format} is reached.
     */
    private static boolean wantsJson(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equalsIgnoreCase("--format=json")
                    || (args[i].equals("--format") && i + 1 < args.length && args[i + 1].equalsIgnoreCase("json"))) {
                return true;
            }
        }
        return false;
    }
}
