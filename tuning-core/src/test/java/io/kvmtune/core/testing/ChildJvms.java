package io.kvmtune.core.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JVMs a test starts to run kvmtune code in separate processes, as concurrent libvirt hooks run
 * it; every one still running after the test is killed (SIGKILL). Register it with
 * {@code @RegisterExtension final ChildJvms jvms = new ChildJvms();}.
 */
public final class ChildJvms implements AfterEachCallback {

    /** Many short-lived children start on a loaded machine: C1 only and the serial collector start fastest. */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final List<Process> started = new ArrayList<>();

    /**
     * A process running {@code main} on this JVM's {@code java} and class path, with
     * {@code jvmOptions} after the quick-start options; redirect it before {@link #start}.
     */
    public static ProcessBuilder command(List<String> jvmOptions, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(QUICK_START);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** Starts {@code builder}'s process, to be killed after the test. */
    public Process start(ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        started.add(p);
        return p;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        started.clear();
    }
}
