package io.kvmtune.core.cpumodel;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The CPU of another host, as a declared topology JSON may carry it (CLI.md): {@code "cpu_vendor"}
 * (the /proc/cpuinfo {@code vendor_id}, such as {@code GenuineIntel}, or libvirt's {@code Intel})
 * and {@code "cpu_flags"} (that host's /proc/cpuinfo flags, space-separated). Planning for another
 * host is what fleet tools do, so a topology without them is fine: the CPU is then unknown.
 */
public final class DeclaredHostCpu {

    private DeclaredHostCpu() {
    }

    /**
     * @throws InvalidInputException keyed by the JSON path when one of the two is given without the other
     */
    public static Optional<HostCpu> parse(String topologyJson, CpuMap map) {
        try {
            JsonObject o = Json.parseObject(topologyJson);
            Optional<String> vendor = o.optString("cpu_vendor");
            Optional<String> flags = o.optString("cpu_flags");
            if (vendor.isEmpty() && flags.isEmpty()) {
                return Optional.empty();
            }
            if (vendor.isEmpty() || flags.isEmpty()) {
                String missing = vendor.isEmpty() ? "cpu_vendor" : "cpu_flags";
                throw InvalidInputException.invalid("$." + missing, null,
                        "declared topology: cpu_vendor and cpu_flags go together; " + missing + " is missing");
            }
            Set<String> names = new HashSet<>(Arrays.asList(flags.get().strip().split("\\s+")));
            names.remove("");
            return Optional.of(HostCpuReader.declared(vendor.get().strip(), names, map));
        } catch (JsonException e) {
            throw InvalidInputException.invalid("topology", null, "declared topology: " + e.getMessage());
        }
    }
}
