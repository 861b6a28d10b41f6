package io.kvmtune.lab;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** Prints each test's start, end and duration as it happens, for the lab's guest log. */
final class LabProgress implements TestExecutionListener {

    private final PrintStream out;
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    LabProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        if (test.isTest()) {
            started.put(test.getUniqueId(), System.nanoTime());
            out.println("lab: start " + test.getLegacyReportingName() + " " + test.getDisplayName());
        }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        out.println("lab: skipped " + test.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        Long t0 = started.remove(test.getUniqueId());
        if (test.isTest() && t0 != null) {
            out.printf("lab: %s %s (%d ms)%s%n", result.getStatus(), test.getDisplayName(),
                    (System.nanoTime() - t0) / 1_000_000,
                    result.getThrowable().map(e -> ": " + e).orElse(""));
        }
    }
}
