package io.kvmtune.core.qemu;

import io.kvmtune.core.MissingComponentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code qemu-system-x86_64} started paused ({@code -S}) with no devices and little memory,
 * for tests, the demo and benchmarks: its threads are real, its vCPUs never run guest code.
 *
 * <p>It uses KVM when {@code /dev/kvm} can be opened, else TCG with one thread per vCPU, so the
 * thread layout is the same either way. It has two QMP sockets in a private directory: one it
 * keeps for itself to stop QEMU, and {@link #qmpSocket()}, free for the caller (QEMU serves one
 * client per socket). {@link #close()} quits QEMU through QMP, kills it if it does not exit,
 * reaps it and deletes the directory; a JVM shutdown hook does the same if the caller never does.
 */
public final class ThrowawayGuest implements AutoCloseable {

    /** The Debian package that ships {@code qemu-system-x86_64}. */
    public static final String QEMU_PACKAGE = "qemu-system-x86";
    private static final String BINARY = "qemu-system-x86_64";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** sun_path is 108 bytes including the NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    /** Which accelerator the guest uses. */
    public enum Accelerator {
        /** KVM when {@code /dev/kvm} can be opened, else TCG. */
        AUTO,
        KVM,
        /** Multi-threaded TCG: one {@code CPU n/TCG} thread per vCPU, like KVM. */
        TCG
    }

    /**
     * How to start the guest.
     *
     * @param vcpus number of vCPUs ({@code -smp})
     * @param memoryMib guest memory ({@code -m})
     * @param name the guest name ({@code -name})
     * @param debugThreads name QEMU's threads ({@code debug-threads=on})
     * @param ioThreads ids of {@code -object iothread} objects to create
     * @param accelerator which accelerator to use
     * @param extraArguments more QEMU arguments, appended as given
     */
    public record Options(int vcpus, int memoryMib, String name, boolean debugThreads, List<String> ioThreads,
            Accelerator accelerator, List<String> extraArguments) {

        public Options {
            if (vcpus < 1) {
                throw new IllegalArgumentException("vcpus must be at least 1: " + vcpus);
            }
            if (memoryMib < 16) {
                throw new IllegalArgumentException("memoryMib must be at least 16: " + memoryMib);
            }
            if (name.isEmpty() || name.contains(",")) {
                throw new IllegalArgumentException("name must be non-empty without ',': " + name);
            }
            ioThreads = List.copyOf(ioThreads);
            extraArguments = List.copyOf(extraArguments);
        }

        /** Two vCPUs, 64 MiB, named threads, no IO threads, KVM if usable. */
        public static Options defaults() {
            return new Options(2, 64, "kvmtune-throwaway", true, List.of(), Accelerator.AUTO, List.of());
        }

        public Options withVcpus(int n) {
            return new Options(n, memoryMib, name, debugThreads, ioThreads, accelerator, extraArguments);
        }

        public Options withDebugThreads(boolean on) {
            return new Options(vcpus, memoryMib, name, on, ioThreads, accelerator, extraArguments);
        }

        public Options withIoThread(String id) {
            List<String> ids = new ArrayList<>(ioThreads);
            ids.add(id);
            return new Options(vcpus, memoryMib, name, debugThreads, ids, accelerator, extraArguments);
        }

        public Options withAccelerator(Accelerator a) {
            return new Options(vcpus, memoryMib, name, debugThreads, ioThreads, a, extraArguments);
        }

        public Options withArguments(String... arguments) {
            List<String> all = new ArrayList<>(extraArguments);
            all.addAll(List.of(arguments));
            return new Options(vcpus, memoryMib, name, debugThreads, ioThreads, accelerator, all);
        }
    }

    private final Process process;
    private final Path directory;
    private final Path qmpSocket;
    private final QmpClient control;
    private final Accelerator accelerator;
    private final Thread shutdownHook;
    private boolean closed;

    private ThrowawayGuest(Process process, Path directory, Path qmpSocket, QmpClient control, Accelerator accelerator) {
        this.process = process;
        this.directory = directory;
        this.qmpSocket = qmpSocket;
        this.control = control;
        this.accelerator = accelerator;
        this.shutdownHook = new Thread(this::stop, "kvmtune-throwaway-guest-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts QEMU and waits until its monitor answers.
     *
     * @throws MissingComponentException {@code MissingQemu} when {@code qemu-system-x86_64} is not
     *     on the PATH, {@code NoKvm} when KVM was asked for but {@code /dev/kvm} cannot be opened,
     *     {@code QemuFailedToStart} (with QEMU's own output) when it exits or does not answer
     */
    public static ThrowawayGuest start(Options options) {
        Path binary = binary().orElseThrow(() -> new MissingComponentException("MissingQemu",
                BINARY + " is not on the PATH; install the Debian package " + QEMU_PACKAGE));
        Accelerator accelerator = switch (options.accelerator()) {
            case AUTO -> kvmUsable() ? Accelerator.KVM : Accelerator.TCG;
            case KVM -> {
                if (!kvmUsable()) {
                    throw new MissingComponentException("NoKvm", "/dev/kvm cannot be opened for reading and writing");
                }
                yield Accelerator.KVM;
            }
            case TCG -> Accelerator.TCG;
        };
        Path directory;
        try {
            directory = Files.createTempDirectory("kvmtune-guest-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the throwaway guest", e);
        }
        Path controlSocket = directory.resolve("control.sock");
        Path qmpSocket = directory.resolve("qmp.sock");
        Process process = null;
        try {
            if (qmpSocket.toString().length() > MAX_SOCKET_PATH || controlSocket.toString().length() > MAX_SOCKET_PATH) {
                throw new MissingComponentException("QemuFailedToStart", "socket path " + controlSocket
                        + " is longer than a UNIX socket address allows; set java.io.tmpdir to a shorter directory");
            }
            Path log = directory.resolve("qemu.log");
            process = new ProcessBuilder(command(binary, options, accelerator, controlSocket, qmpSocket))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            QmpClient control = awaitMonitor(process, controlSocket, log);
            return new ThrowawayGuest(process, directory, qmpSocket, control, accelerator);
        } catch (IOException e) {
            cleanUp(process, directory);
            throw new MissingComponentException("QemuFailedToStart", "cannot run " + binary + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(process, directory);
            throw e;
        }
    }

    private static List<String> command(Path binary, Options options, Accelerator accelerator, Path control, Path qmp) {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "-S", "-nodefaults", "-no-user-config", "-display", "none",
                "-m", Integer.toString(options.memoryMib()),
                "-smp", Integer.toString(options.vcpus()),
                "-accel", accelerator == Accelerator.KVM ? "kvm" : "tcg,thread=multi",
                "-name", "guest=" + options.name() + (options.debugThreads() ? ",debug-threads=on" : ""),
                "-qmp", "unix:" + control + ",server=on,wait=off",
                "-qmp", "unix:" + qmp + ",server=on,wait=off"));
        for (String id : options.ioThreads()) {
            command.addAll(List.of("-object", "iothread,id=" + id));
        }
        command.addAll(options.extraArguments());
        return command;
    }

    /** Polls until QEMU listens on its control socket and greets, or exits, or the time is up. */
    private static QmpClient awaitMonitor(Process process, Path controlSocket, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        QmpException last = null;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new MissingComponentException("QemuFailedToStart", "QEMU exited with status "
                        + process.exitValue() + ": " + tail(log));
            }
            if (Files.exists(controlSocket)) {
                try {
                    return QmpClient.connect(controlSocket, Duration.ofSeconds(5));
                } catch (QmpException e) {
                    last = e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MissingComponentException("QemuFailedToStart", "interrupted while waiting for QEMU", e);
            }
        }
        throw new MissingComponentException("QemuFailedToStart", "QEMU's monitor did not answer within " + START_TIMEOUT
                + (last == null ? "" : " (" + last.getMessage() + ")") + ": " + tail(log), last);
    }

    /** The QEMU process id. */
    public int pid() {
        return Math.toIntExact(process.pid());
    }

    /** The QEMU process, for tests that kill it or wait for it. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** A QMP socket of this QEMU that nobody holds. */
    public Path qmpSocket() {
        return qmpSocket;
    }

    /** KVM or TCG, whichever it runs on. */
    public Accelerator accelerator() {
        return accelerator;
    }

    /** Stops QEMU, reaps it and deletes its directory. Safe to call more than once. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process.isAlive()) {
                control.execute("quit", Map.of());
            }
        } catch (QmpException e) {
            // QEMU may close the monitor before replying to quit; the wait below decides.
        } finally {
            control.close();
            cleanUp(process, directory);
        }
    }

    private static void cleanUp(Process process, Path directory) {
        if (process != null) {
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(directory);
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /**
     * Whether QEMU can use KVM here. Opening is the check: permissions, a missing module, a
     * container without the device and a kernel that is itself a PVM guest all fail here.
     */
    public static boolean kvmUsable() {
        try (FileChannel kvm = FileChannel.open(Path.of("/dev/kvm"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return kvm.isOpen();
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** {@code qemu-system-x86_64} on the {@code PATH}, if it is installed. */
    public static Optional<Path> binary() {
        return findOnPath(BINARY);
    }

    private static Optional<Path> findOnPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(no output)" : text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
