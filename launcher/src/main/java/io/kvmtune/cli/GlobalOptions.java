package io.kvmtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --format} and {@code --config}, mixed into every subcommand. */
public final class GlobalOptions {

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            description = "Output format: table (default) or json; xml on plan and xml.")
    OutputFormat format;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Host configuration in nova.conf syntax (default: /etc/kvmtune/kvmtune.conf when it sets a "
                    + "[DEFAULT], [compute] or [libvirt] key, else /etc/nova/nova.conf, else built-in defaults).")
    Path config;

    public OutputFormat format() {
        return format;
    }

    /** The configuration file CLI.md's default chain selects, or empty for built-in defaults. */
    public Optional<Path> configFile() {
        return ConfigLocation.resolve(Optional.ofNullable(config), Files::isRegularFile);
    }
}
