package io.kvmtune.cli.hook;

import io.kvmtune.cli.Failure;
import java.io.PrintStream;

/**
 * One line per hook action, on stderr (libvirt copies a failing hook's stderr into its log) and to
 * syslog. Lines name the domain and operation so that a host log reads on its own.
 */
final class HookLog {

    private final PrintStream err;
    private final Syslog syslog;
    private final String context;

    HookLog(PrintStream err, Syslog syslog, HookInvocation call) {
        this.err = err;
        this.syslog = syslog;
        this.context = printable(call.domain()) + " " + printable(call.rawOperation());
    }

    void action(String what) {
        String line = "kvmtune: " + context + ": " + what;
        err.println(line);
        err.flush();
        syslog.send(Syslog.NOTICE, line);
    }

    /** CLI.md's error line, {@code kvmtune: <code>: <message>}, with the domain and operation. */
    void failure(Failure f) {
        String line = "kvmtune: " + f.code() + ": " + context + ": " + f.message();
        err.println(line);
        err.flush();
        syslog.send(Syslog.ERR, line);
    }

    /** Hook arguments are untrusted; a newline in them must not forge a second log line. */
    private static String printable(String s) {
        return s.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)
                ? s
                : s.codePoints().collect(StringBuilder::new,
                        (b, c) -> b.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)), StringBuilder::append)
                        .toString();
    }
}
