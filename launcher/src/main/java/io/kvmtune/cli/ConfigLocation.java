package io.kvmtune.cli;

import io.kvmtune.core.spec.IniConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which host configuration file kvmtune reads (CLI.md {@code --config}): the file given, else
 * {@code /etc/kvmtune/kvmtune.conf} when it holds host settings, else {@code /etc/nova/nova.conf}
 * when present, else none (built-in defaults: no dedicated or shared set).
 *
 * <p>The Debian package installs an example kvmtune.conf whose settings are all commented out;
 * on a Nova compute host that file must not hide nova.conf, so a kvmtune.conf counts only once
 * it sets a key of {@code [DEFAULT]}, {@code [compute]} or {@code [libvirt]} (the sections the
 * host configuration is read from; {@code [agent]} alone does not count).
 */
public final class ConfigLocation {

    public static final Path KVMTUNE_CONF = Path.of("/etc/kvmtune/kvmtune.conf");
    public static final Path NOVA_CONF = Path.of("/etc/nova/nova.conf");

    private static final List<String> HOST_SECTIONS = List.of("DEFAULT", "compute", "libvirt");

    private ConfigLocation() {
    }

    /**
     * @param explicit the {@code --config} argument, if given: used as is, so that a missing file
     *     the operator named is an error when read rather than a silent fallback
     * @param exists tells whether a file exists (the launcher passes {@code Files::isRegularFile})
     */
    public static Optional<Path> resolve(Optional<Path> explicit, Predicate<Path> exists) {
        return resolve(explicit, exists, ConfigLocation::holdsHostSettings);
    }

    /** @param holdsHostSettings tells whether kvmtune.conf sets host keys (see the class comment) */
    static Optional<Path> resolve(Optional<Path> explicit, Predicate<Path> exists, Predicate<Path> holdsHostSettings) {
        if (explicit.isPresent()) {
            return explicit;
        }
        if (exists.test(KVMTUNE_CONF) && holdsHostSettings.test(KVMTUNE_CONF)) {
            return Optional.of(KVMTUNE_CONF);
        }
        if (exists.test(NOVA_CONF)) {
            return Optional.of(NOVA_CONF);
        }
        // An example kvmtune.conf and no nova.conf: read it anyway, so that [agent] and errors in it count.
        return exists.test(KVMTUNE_CONF) ? Optional.of(KVMTUNE_CONF) : Optional.empty();
    }

    /**
     * True when {@code file} sets a key of a host section, or cannot be read or parsed (then it is
     * chosen, and reading it reports why).
     */
    static boolean holdsHostSettings(Path file) {
        IniConfig conf;
        try {
            conf = IniConfig.parse(Files.readString(file), file.toString());
        } catch (IOException | RuntimeException unreadable) {
            return true;
        }
        return HOST_SECTIONS.stream().anyMatch(conf::sets);
    }
}
