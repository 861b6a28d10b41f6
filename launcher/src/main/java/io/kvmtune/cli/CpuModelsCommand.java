package io.kvmtune.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kvmtune cpu-models}: libvirt's named CPU models runnable on this host. */
@Command(name = "cpu-models", description = "libvirt named CPU models runnable here, missing features, host-model.")
final class CpuModelsCommand extends Subcommand {

    @Option(names = "--compare", paramLabel = "FILE", description = "Compare with another host's CPU description.")
    Path compare;

    @Override
    ExitStatus run() {
        throw NotAvailable.yet("cpu-models: libvirt CPU map reading (issue 3)");
    }
}
