package io.kvmtune.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the test starts and always kills: a {@code sleep}, or a child JVM running one of the
 * test's {@code main} classes, which answers line by line on stdout.
 */
final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private ChildProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** {@code sleep} for long enough to outlive any test. */
    static ChildProcess sleeper() throws IOException {
        return new ChildProcess(new ProcessBuilder("sleep", "600").start());
    }

    /** A JVM on this test's class path running {@code main} with {@code jvmArgs}; stderr joins stdout. */
    static ChildProcess jvm(List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    int pid() {
        return Math.toIntExact(process.pid());
    }

    /** The next line the child printed (it must print within 60 s; tests run under load). */
    String readLine() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("child " + pid() + " closed its output");
        }
        return line;
    }

    /** Everything the child prints until it exits, and its exit status. */
    Finished finish() throws IOException, InterruptedException {
        String rest = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + pid() + " did not exit");
        }
        return new Finished(process.exitValue(), rest);
    }

    record Finished(int status, String output) {
    }

    void send(String line) {
        in.println(line);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
