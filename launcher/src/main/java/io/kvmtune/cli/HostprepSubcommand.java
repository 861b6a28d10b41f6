package io.kvmtune.cli;

import io.kvmtune.core.json.Json;
import io.kvmtune.hostprep.HostPrep;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Base of the {@code kvmtune hostprep} subcommands: the host they act on and their output.
 *
 * <p>{@code --host-root DIR} is hidden and for tests only: a /proc, /sys, /dev and /etc tree
 * below DIR (hostprep's {@code FakeHost}) stands for the host, so the launcher's in-process tests
 * run every subcommand, apply and restore included, without touching this machine. The backup
 * file and the root check then live in that tree too.
 */
abstract class HostprepSubcommand extends Subcommand {

    @Option(names = "--host-root", hidden = true, paramLabel = "DIR",
            description = "Tests only: a fake /proc and /sys tree standing for the host.")
    Path hostRoot;

    HostPrep host() {
        return hostRoot == null ? HostPrep.live() : HostPrep.under(hostRoot);
    }

    /** Prints {@code json} with {@code --format json}, else the table. */
    void print(Object json, Supplier<String> table) {
        out().print(format() == OutputFormat.JSON ? Json.pretty(json) + "\n" : table.get());
        out().flush();
    }
}
