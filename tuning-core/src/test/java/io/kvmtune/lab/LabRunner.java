package io.kvmtune.lab;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Runs inside a lab guest: executes the named JUnit test classes with the JUnit Platform and
 * leaves, in the results share, JUnit XML reports and a {@code summary.properties} the host reads.
 *
 * <p>Usage: {@code LabRunner RESULTS_DIR CLASS[#METHOD]...}. Exit code 0 only when tests ran and
 * none failed. Each test's start and end go to standard output, which the lab keeps as the guest
 * log, so a guest killed at its timeout shows where it was.
 */
public final class LabRunner {

    private LabRunner() {
    }

    /** {@code Class} selects a test class, {@code Class#method} (or {@code Class#method(paramTypes)}) one test method. */
    private static DiscoverySelector selector(String name) {
        return name.contains("#") ? selectMethod(name) : selectClass(name);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LabRunner RESULTS_DIR CLASS...");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path reports = results.resolve("reports");
        Files.createDirectories(reports);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(args, 1, args.length).map(LabRunner::selector).toList())
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        StringWriter xmlErrors = new StringWriter();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, summary, new LabProgress(System.out),
                new LegacyXmlReportGeneratingListener(reports, new PrintWriter(xmlErrors)));

        TestExecutionSummary s = summary.getSummary();
        StringWriter failures = new StringWriter();
        s.printFailuresTo(new PrintWriter(failures), 40);
        Properties p = new Properties();
        p.setProperty("found", Long.toString(s.getTestsFoundCount()));
        p.setProperty("succeeded", Long.toString(s.getTestsSucceededCount()));
        p.setProperty("failed", Long.toString(s.getTotalFailureCount()));
        p.setProperty("skipped", Long.toString(s.getTestsSkippedCount() + s.getTestsAbortedCount()));
        Files.writeString(results.resolve("failures.txt"), failures + xmlErrors.toString());
        try (var out = Files.newBufferedWriter(results.resolve("summary.properties"))) {
            p.store(out, "kernel lab test summary");
        }
        s.printTo(new PrintWriter(System.out, true));
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
