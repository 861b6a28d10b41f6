package io.kvmtune.core.cpumodel;

import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.qemu.ThrowawayGuest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The x86 CPU model names QEMU itself offers ({@code qemu-system-x86_64 -cpu help}): what Nova's
 * case-insensitive name mapping can fall back on where libvirt's {@code cpu_map} is not installed.
 * QEMU's list is longer than libvirt's (versioned names such as {@code Penryn-v1}, aliases), so a
 * name it accepts is one QEMU can start, not necessarily one libvirt's map defines.
 */
public final class QemuCpuModelNames {

    private QemuCpuModelNames() {
    }

    /**
     * Runs {@code qemu-system-x86_64 -cpu help} from the {@code PATH}.
     *
     * @throws MissingComponentException {@code CpuModelsUnknown} when neither the map nor QEMU is there
     */
    public static Set<String> read(Path missingMap) {
        Path binary = ThrowawayGuest.binary().orElseThrow(() -> new MissingComponentException("CpuModelsUnknown",
                "libvirt's CPU map is not installed (no " + missingMap.resolve("index.xml")
                        + ") and qemu-system-x86_64 is not on the PATH: no list of CPU model names to check"
                        + " cpu_models against (install libvirt-daemon or qemu-system-x86)"));
        try {
            Process p = new ProcessBuilder(binary.toString(), "-cpu", "help")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status = p.waitFor();
            if (status != 0) {
                throw new MissingComponentException("CpuModelsUnknown", binary + " -cpu help exited with " + status);
            }
            return parse(out);
        } catch (IOException e) {
            throw new MissingComponentException("CpuModelsUnknown", "running " + binary + " -cpu help: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissingComponentException("CpuModelsUnknown", "interrupted running " + binary + " -cpu help", e);
        }
    }

    /** The names of the {@code x86 NAME ...} lines of QEMU's {@code -cpu help} output. */
    public static Set<String> parse(String help) {
        Set<String> names = new TreeSet<>();
        for (String line : help.split("\n")) {
            if (line.startsWith("x86 ")) {
                String rest = line.substring(4).strip();
                int end = rest.indexOf(' ');
                names.add(end < 0 ? rest : rest.substring(0, end));
            }
        }
        return names;
    }
}
