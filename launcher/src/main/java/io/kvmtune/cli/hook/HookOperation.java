package io.kvmtune.cli.hook;

import java.util.Locale;
import java.util.Optional;

/** The operations libvirt passes to a qemu hook as its second argument (libvirt docs/hooks.rst). */
public enum HookOperation {
    PREPARE, START, STARTED, STOPPED, RELEASE, MIGRATE, RESTORE, RECONNECT, ATTACH;

    /** The operation named {@code arg}, or empty for one a newer libvirt added. */
    static Optional<HookOperation> of(String arg) {
        for (HookOperation op : values()) {
            if (op.label().equals(arg)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
