package io.kvmtune.cli;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kvmtune probe}: the latency probe. */
@Command(name = "probe", description = "Latency probe: timer wake-up latency on chosen CPUs.")
final class ProbeCommand extends Subcommand {

    @Option(names = "--cpus", paramLabel = "SET", description = "CPUs to probe.")
    String cpus;

    @Option(names = "--priority", paramLabel = "P", description = "SCHED_FIFO priority of the probe threads.")
    Integer priority;

    @Option(names = "--interval", paramLabel = "US", description = "Wake-up interval in microseconds.")
    Long intervalMicros;

    @ArgGroup(exclusive = true)
    Length length;

    static final class Length {
        @Option(names = "--duration", paramLabel = "D", description = "How long to run, e.g. 10s.")
        String duration;

        @Option(names = "--loops", paramLabel = "N", description = "How many wake-ups per CPU.")
        Long loops;
    }

    @Option(names = "--histogram", paramLabel = "FILE", description = "Write the latency histogram here.")
    Path histogram;

    @Override
    ExitStatus run() {
        throw NotAvailable.yet("probe: the latency probe (issue 7)");
    }
}
