package io.kvmtune.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the kvmtune command line: exit status and what it wrote. */
record CommandRun(int status, String out, String err) {

    static CommandRun kvmtune(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Cli.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CommandRun(status, out.toString(), err.toString());
    }
}
