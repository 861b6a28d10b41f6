package io.kvmtune.core.spec;

import java.util.Locale;

/** {@code [libvirt] cpu_mode}. */
public enum CpuMode {
    HOST_MODEL,
    HOST_PASSTHROUGH,
    CUSTOM,
    NONE;

    /** The value as written in nova.conf and libvirt XML: {@code host-model}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
