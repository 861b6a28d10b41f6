package io.kvmtune.core.cpumodel;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the host CPU from an x86 {@code /proc/cpuinfo} under a root directory ({@code /} on a
 * real host, a fake tree in tests).
 *
 * <p>A guest vCPU may run on any host CPU, so the features are those every listed CPU has; vendor,
 * family and model come from the first. The flags are named in libvirt's spelling by
 * {@link LinuxCpuFlags}.
 */
public final class HostCpuReader {

    private HostCpuReader() {
    }

    /**
     * Reads {@code root/proc/cpuinfo}.
     *
     * @throws MissingComponentException when {@code map} is not an x86 map (ppc64 and arm models are
     *     told apart by processor version, not by features) or the file is missing
     * @throws InvalidInputException (code {@code InvalidCpuinfo}) when the file has no x86 flags
     */
    public static HostCpu read(Path root, CpuMap map) {
        Path cpuinfo = root.resolve("proc/cpuinfo");
        String text;
        try {
            text = Files.readString(cpuinfo);
        } catch (IOException e) {
            throw new MissingComponentException("CpuinfoMissing", "cannot read " + cpuinfo + ": " + e.getMessage(), e);
        }
        return parse(text, cpuinfo.toString(), map);
    }

    /** Parses the text of an x86 {@code /proc/cpuinfo}; {@code source} names it in errors. */
    public static HostCpu parse(String cpuinfo, String source, CpuMap map) {
        if (!map.arch().equals("x86")) {
            throw new MissingComponentException("CpuFeaturesUnsupported", "host CPU features are compared for x86 only;"
                    + " libvirt matches " + map.arch() + " models by processor version");
        }
        String vendorId = null;
        Integer family = null;
        Integer model = null;
        Set<String> common = null;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "vendor_id" -> vendorId = vendorId == null ? value : vendorId;
                case "cpu family" -> family = family == null ? number(key, value, source) : family;
                case "model" -> model = model == null ? number(key, value, source) : model;
                case "flags" -> {
                    Set<String> flags = new HashSet<>(Arrays.asList(value.split("\\s+")));
                    flags.remove("");
                    if (common == null) {
                        common = flags;
                    } else {
                        common.retainAll(flags);
                    }
                }
                default -> {
                    // Other fields (model name, bugs, cache size, ...) are not used.
                }
            }
        }
        if (common == null) {
            throw new InvalidInputException("InvalidCpuinfo", source, null,
                    source + ": no 'flags' line; this is not an x86 /proc/cpuinfo");
        }
        return named(vendorId, family == null ? 0 : family, model == null ? 0 : model, common, map);
    }

    /**
     * A host CPU declared by its vendor string ({@code GenuineIntel}, or libvirt's {@code Intel})
     * and its /proc/cpuinfo flags, as a declared topology carries another host's CPU.
     */
    public static HostCpu declared(String vendor, Set<String> flags, CpuMap map) {
        String vendorId = map.vendors().getOrDefault(vendor, vendor);
        return named(vendorId, 0, 0, flags, map);
    }

    private static HostCpu named(String vendorId, int family, int model, Set<String> flags, CpuMap map) {
        Optional<String> vendor = vendorId == null ? Optional.empty() : map.vendorNamed(vendorId);
        LinuxCpuFlags.Named named = LinuxCpuFlags.toLibvirt(flags, vendor, family, map);
        return new HostCpu(vendor, family, model, named.features(), named.unmapped());
    }

    private static int number(String key, String value, String source) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("InvalidCpuinfo", source, value,
                    source + ": '" + key + "' must be a decimal number, not '" + value + "'");
        }
    }
}
