package io.kvmtune.cli;

import io.kvmtune.hostprep.HostPrep;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --backup FILE} of {@code hostprep apply} and {@code restore}: where the replaced values are recorded. */
final class BackupOption {

    @Option(names = "--backup", paramLabel = "FILE",
            description = "Where apply records the values it replaces and restore reads them "
                    + "(default: /var/lib/kvmtune/hostprep-backup.json).")
    Path file;

    Path file(HostPrep host) {
        return file != null ? file : host.defaultBackup();
    }
}
