package io.kvmtune.core.apply;

import io.kvmtune.core.qemu.ThreadRole;

/** Reads back the {@link ThreadRole#label()} written into saved records. */
final class RoleLabels {

    private RoleLabels() {
    }

    static ThreadRole parse(String label) {
        if (label.equals("emulator")) {
            return new ThreadRole.Emulator();
        }
        if (label.startsWith("iothread:")) {
            return new ThreadRole.IoThread(label.substring("iothread:".length()));
        }
        if (label.startsWith("iothread")) {
            return new ThreadRole.IoThread(label);
        }
        if (label.startsWith("vcpu")) {
            try {
                return new ThreadRole.Vcpu(Integer.parseInt(label.substring(4)));
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("unknown thread role '" + label + "'");
    }
}
