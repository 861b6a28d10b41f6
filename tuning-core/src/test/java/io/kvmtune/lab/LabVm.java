package io.kvmtune.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots a lab kernel under TCG with the host's root shared read-only over 9p and a writable
 * results directory, runs the results directory's {@code run.sh} in it, and waits for power-off.
 *
 * <p>TCG rather than KVM: nested KVM guests run very slowly on this machine kind, and TCG lets a
 * test declare any topology. A guest that does not power off in time is killed, and the caller
 * gets its console log to report.
 */
final class LabVm {

    /** The file in the results directory the guest's init writes the test run's output to. */
    static final String GUEST_LOG = "guest.log";
    /**
     * How long a guest may take to reach its init, which starts {@link #GUEST_LOG}: a lab kernel
     * runs its init about 4 s after it starts, even under TCG on two host CPUs.
     */
    static final Duration INIT_WITHIN = Duration.ofMinutes(2);

    /**
     * What a boot left behind.
     *
     * @param neverRanInit QEMU ran for {@link #INIT_WITHIN} without the guest reaching its init,
     *     and was killed (once in a full test run: TCG stuck, neither console nor QEMU log had a line)
     */
    record Outcome(boolean timedOut, boolean neverRanInit, int qemuExit, Path console, Path results) {
        String consoleText() throws IOException {
            return Files.exists(console) ? Files.readString(console) : "(no console log)";
        }

        /** What QEMU itself printed. */
        String qemuLog() throws IOException {
            Path log = results.resolve("qemu.log");
            return Files.exists(log) ? Files.readString(log) : "(no QEMU log)";
        }

        /** Whether QEMU was killed by a signal (a crash of its own: a guest's panic or power-off exits normally). */
        boolean emulatorCrashed() {
            return !timedOut && qemuExit > 128;
        }
    }

    private LabVm() {
    }

    static Outcome boot(LabKernel kernel, Path initrd, LabMachine machine, Path results, String kernelArgs,
            Duration timeout) throws IOException, InterruptedException {
        Path console = results.resolve("console.log");
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg,thread=multi",
                "-nodefaults", "-no-reboot", "-display", "none", "-serial", "file:" + console));
        cmd.addAll(machine.qemuArgs());
        cmd.addAll(List.of(
                "-kernel", kernel.vmlinuz().toString(),
                "-initrd", initrd.toString(),
                "-append", "console=ttyS0 panic=-1 loglevel=4 " + kernelArgs,
                "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
                "-virtfs", "local,path=" + results + ",mount_tag=results,security_model=none,multidevs=remap"));
        Process qemu = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(results.resolve("qemu.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            long started = System.nanoTime();
            Path guestLog = results.resolve(GUEST_LOG);
            while (!Files.exists(guestLog) && !qemu.waitFor(500, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - started > INIT_WITHIN.toNanos()) {
                    return new Outcome(true, true, -1, console, results);
                }
            }
            long left = timeout.toNanos() - (System.nanoTime() - started);
            if (!qemu.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
                return new Outcome(true, false, -1, console, results);
            }
            return new Outcome(false, false, qemu.exitValue(), console, results);
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor();
        }
    }
}
