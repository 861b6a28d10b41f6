package io.kvmtune.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which host configuration file kvmtune reads (CLI.md {@code --config}): the file given, else
 * {@code /etc/kvmtune/kvmtune.conf}, else {@code /etc/nova/nova.conf} when present, else none
 * (built-in defaults: no dedicated or shared set).
 */
public final class ConfigLocation {

    public static final Path KVMTUNE_CONF = Path.of("/etc/kvmtune/kvmtune.conf");
    public static final Path NOVA_CONF = Path.of("/etc/nova/nova.conf");

    private ConfigLocation() {
    }

    /**
     * @param explicit the {@code --config} argument, if given: used as is, so that a missing file
     *     the operator named is an error when read rather than a silent fallback
     * @param exists tells whether a file exists (the launcher passes {@code Files::isRegularFile})
     */
    public static Optional<Path> resolve(Optional<Path> explicit, Predicate<Path> exists) {
        if (explicit.isPresent()) {
            return explicit;
        }
        if (exists.test(KVMTUNE_CONF)) {
            return Optional.of(KVMTUNE_CONF);
        }
        return exists.test(NOVA_CONF) ? Optional.of(NOVA_CONF) : Optional.empty();
    }
}
