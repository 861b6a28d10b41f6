package io.kvmtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CLI.md's choice of host configuration: the file given, else /etc/kvmtune/kvmtune.conf, else
 * /etc/nova/nova.conf when present, else built-in defaults (empty). Shared by the command line and
 * the hook.
 */
public final class ConfigLocation {

    static final Path KVMTUNE_CONF = Path.of("/etc/kvmtune/kvmtune.conf");
    static final Path NOVA_CONF = Path.of("/etc/nova/nova.conf");

    private ConfigLocation() {
    }

    public static Optional<Path> resolve(Optional<Path> given) {
        if (given.isPresent()) {
            return given;
        }
        if (Files.isRegularFile(KVMTUNE_CONF)) {
            return Optional.of(KVMTUNE_CONF);
        }
        return Files.isRegularFile(NOVA_CONF) ? Optional.of(NOVA_CONF) : Optional.empty();
    }
}
