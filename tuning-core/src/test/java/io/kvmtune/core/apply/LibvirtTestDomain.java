package io.kvmtune.core.apply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small throwaway libvirt domain for integration tests: no disks, no devices, 64 MiB, defined
 * from XML and started paused through {@code virsh}; {@link #close()} destroys and undefines it,
 * whatever state it is in.
 */
public final class LibvirtTestDomain implements AutoCloseable {

    private static final String URI = "qemu:///system";

    private final String name;

    private LibvirtTestDomain(String name) {
        this.name = name;
    }

    /** Whether libvirtd answers, starting it with the project's script when it does not. */
    public static boolean libvirtAvailable(Path startScript) {
        if (virsh("version").exitCode() == 0) {
            return true;
        }
        if (Files.isExecutable(startScript)) {
            run(List.of(startScript.toString()));
        }
        return virsh("version").exitCode() == 0;
    }

    /**
     * Defines a domain named {@code name} with {@code vcpus} vCPUs and {@code cputune} (inner XML
     * of {@code <cputune>}, may be empty) and starts it paused.
     *
     * @throws IllegalStateException with virsh's output when defining or starting fails; the
     *     domain is undefined again first
     */
    public static LibvirtTestDomain startPaused(String name, int vcpus, String cputune, Path workDir) {
        String xml = """
                <domain type='kvm'>
                  <name>%s</name>
                  <memory unit='MiB'>64</memory>
                  <vcpu placement='static'>%d</vcpu>
                  <cputune>%s</cputune>
                  <os><type arch='x86_64' machine='pc'>hvm</type></os>
                  <on_poweroff>destroy</on_poweroff>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(name, vcpus, cputune);
        Path file = workDir.resolve(name + ".xml");
        try {
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LibvirtTestDomain domain = new LibvirtTestDomain(name);
        Result defined = virsh("define", file.toString());
        if (defined.exitCode() != 0) {
            throw new IllegalStateException("virsh define failed: " + defined.output());
        }
        Result started = virsh("start", name, "--paused");
        if (started.exitCode() != 0) {
            domain.close();
            throw new IllegalStateException("virsh start failed: " + started.output());
        }
        return domain;
    }

    public String name() {
        return name;
    }

    /** The QEMU process id from libvirt's pid file. */
    public int pid() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        virsh("destroy", name);
        virsh("undefine", name);
    }

    /** What a command printed (stdout and stderr) and how it exited. */
    public record Result(int exitCode, String output) {
    }

    public static Result virsh(String... args) {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", URI));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    return new Result(-1, out + " (timed out)");
                }
                return new Result(p.exitValue(), out.strip());
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
