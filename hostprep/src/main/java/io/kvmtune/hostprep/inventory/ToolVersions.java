package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Versions of the virtualization user space: libvirt and QEMU, as their binaries report them.
 * Empty when a binary is not installed.
 */
public record ToolVersions(Optional<String> libvirt, Optional<String> qemu) implements JsonWritable {

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("libvirt", libvirt.orElse(null));
        m.put("qemu", qemu.orElse(null));
        return m;
    }
}
