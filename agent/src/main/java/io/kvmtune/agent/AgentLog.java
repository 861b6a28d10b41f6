package io.kvmtune.agent;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The agent's log: one line per event on standard error, which systemd puts in the journal. Each
 * line says what happened to which guest and thread; nothing is logged per quiet check.
 */
final class AgentLog {

    private final PrintStream out;

    AgentLog(PrintStream out) {
        this.out = out;
    }

    void info(String message) {
        line("info", message);
    }

    void warn(String message) {
        line("warning", message);
    }

    private void line(String level, String message) {
        out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " kvmtune-agent " + level + ": " + message);
    }
}
