package io.kvmtune.core.apply;

import io.kvmtune.core.libvirt.TuningMetadata;
import io.kvmtune.core.qemu.ThrowawayGuest;
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
        return startPaused(name, domainXml(name, "<vcpu placement='static'>" + vcpus + "</vcpu><cputune>" + cputune
                + "</cputune>"), workDir);
    }

    /**
     * The XML of a small domain: no disks, no devices, 64 MiB, with {@code elements} (a
     * {@code <vcpu>} at least; {@code <uuid>}, {@code <metadata>}, {@code <cputune>},
     * {@code <clock>} ... as a test needs) after {@code <memory>}.
     */
    public static String domainXml(String name, String elements) {
        return """
                <domain type='%s'>
                  <name>%s</name>
                  <memory unit='MiB'>64</memory>
                  %s
                  <os><type arch='x86_64' machine='pc'>hvm</type></os>
                  <on_poweroff>destroy</on_poweroff>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(domainType(), name, elements);
    }

    /**
     * libvirt's domain type on this host: {@code kvm} where QEMU can use KVM, else {@code qemu}
     * (TCG), as an operator of such a host sets Nova's {@code [libvirt] virt_type}
     * ({@link #libvirtSection}).
     */
    public static String domainType() {
        return ThrowawayGuest.kvmUsable() ? "kvm" : "qemu";
    }

    /** The name QEMU gives vCPU {@code n}'s thread in a domain of {@link #domainType}: {@code CPU n/KVM} or {@code CPU n/TCG}. */
    public static String vcpuThreadName(int n) {
        return "CPU " + n + "/" + (domainType().equals("kvm") ? "KVM" : "TCG");
    }

    /**
     * The {@code [libvirt]} section of a host configuration that plans the guest CPU as
     * {@link #PLANNED_CPU_AND_CLOCK} has it, with this host's {@code virt_type} (see
     * {@link #domainType}); a test may add options of that section after it.
     */
    public static String libvirtSection() {
        return libvirtSection("cpu_mode = custom\ncpu_models = pentium3\n");
    }

    /** The {@code [libvirt]} section with this host's {@code virt_type} (see {@link #domainType}), then {@code options}. */
    public static String libvirtSection(String options) {
        return "[libvirt]\nvirt_type = " + domainType() + "\n" + options;
    }

    /**
     * The CPU and clock elements of a domain that libvirt starts as a plan for this machine kind
     * decides (host configuration {@link #libvirtSection}; Nova's x86 default without an HPET,
     * which it plans for KVM only): the hook's {@code prepare} refuses a domain XML that would
     * start QEMU otherwise. pentium3 is a model KVM runs in full on any x86 host, and TCG anywhere.
     */
    public static final String PLANNED_CPU_AND_CLOCK = "<cpu mode='custom' match='exact'><model>pentium3</model></cpu>"
            + "<clock offset='utc'><timer name='hpet' present='no'/></clock>";

    /**
     * kvmtune's {@code <metadata>} element asking for {@code flavorSpecs}, each {@code key=value}
     * as {@code --flavor-spec} takes it, in the given order: what the hook plans a domain from.
     */
    public static String tuningMetadata(String... flavorSpecs) {
        StringBuilder xml = new StringBuilder("<metadata><kvmtune:tuning xmlns:kvmtune='")
                .append(TuningMetadata.NAMESPACE).append("'>");
        for (String spec : flavorSpecs) {
            int eq = spec.indexOf('=');
            xml.append("<kvmtune:flavor-spec key='").append(spec, 0, eq).append("'>").append(spec.substring(eq + 1))
                    .append("</kvmtune:flavor-spec>");
        }
        return xml.append("</kvmtune:tuning></metadata>").toString();
    }

    /** Defines {@code name} from {@code xml} without starting it; {@link #close()} undefines it. */
    public static LibvirtTestDomain define(String name, String xml, Path workDir) {
        Path file = workDir.resolve(name + ".xml");
        try {
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result defined = virsh("define", file.toString());
        if (defined.exitCode() != 0) {
            throw new IllegalStateException("virsh define failed: " + defined.output());
        }
        return new LibvirtTestDomain(name);
    }

    /**
     * Defines {@code name} from {@code xml} and starts it paused.
     *
     * @throws IllegalStateException with virsh's output when defining or starting fails; the
     *     domain is undefined again first
     */
    public static LibvirtTestDomain startPaused(String name, String xml, Path workDir) {
        LibvirtTestDomain domain = define(name, xml, workDir);
        Result started = domain.start();
        if (started.exitCode() != 0) {
            domain.close();
            throw new IllegalStateException("virsh start failed: " + started.output());
        }
        return domain;
    }

    /** {@code virsh start --paused}: for a domain defined, or destroyed and to be started again. */
    public Result start() {
        return virsh("start", name, "--paused");
    }

    /** {@code virsh destroy}: QEMU is killed; the domain stays defined. */
    public Result destroy() {
        return virsh("destroy", name);
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
