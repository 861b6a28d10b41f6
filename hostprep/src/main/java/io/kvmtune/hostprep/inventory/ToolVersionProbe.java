package io.kvmtune.hostprep.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks the installed libvirt and QEMU binaries for their versions. */
public final class ToolVersionProbe {

    private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)");

    private ToolVersionProbe() {
    }

    public static ToolVersions probe() {
        String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
        Optional<String> libvirt = version(List.of("libvirtd", "--version")).or(() -> version(List.of("virsh", "--version")));
        Optional<String> qemu = version(List.of("qemu-system-" + arch, "--version"))
                .or(() -> version(List.of("qemu-kvm", "--version")));
        return new ToolVersions(libvirt, qemu);
    }

    /** The first dotted version number the command prints, or empty when it is missing or fails. */
    static Optional<String> version(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = VERSION.matcher(out);
            return p.exitValue() == 0 && m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
