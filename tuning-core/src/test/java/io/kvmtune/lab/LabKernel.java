package io.kvmtune.lab;

import java.nio.file.Path;

/**
 * An unpacked Debian kernel.
 *
 * @param flavour "amd64" or "rt-amd64"
 * @param release its {@code uname -r}
 * @param vmlinuz the bootable image
 * @param modules its {@code /lib/modules/<release>} tree
 */
record LabKernel(String flavour, String release, Path vmlinuz, Path modules) {
}
