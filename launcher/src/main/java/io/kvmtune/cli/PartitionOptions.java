package io.kvmtune.cli;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.hostprep.HostPrep;
import io.kvmtune.hostprep.check.Partition;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --dedicated} and {@code --housekeeping} of the hostprep subcommands that prepare a
 * partition. Unset, they come from the host configuration's {@code [compute] cpu_dedicated_set}
 * and {@code cpu_shared_set} ({@code --config}); housekeeping then defaults to the online CPUs
 * outside the dedicated set.
 */
final class PartitionOptions {

    @Option(names = "--dedicated", paramLabel = "SET",
            description = "pCPUs for pinned guest vCPUs (default: [compute] cpu_dedicated_set of the host configuration).")
    String dedicated;

    @Option(names = "--housekeeping", paramLabel = "SET",
            description = "pCPUs for the host's own work (default: [compute] cpu_shared_set, else the online CPUs "
                    + "outside the dedicated set).")
    String housekeeping;

    /**
     * @throws InvalidInputException keyed by the option when a set is not a CPU list or empty, or
     *     by the configuration key when the configuration is invalid or names no dedicated CPU
     */
    Partition resolve(HostPrep host, GlobalOptions global) {
        Optional<CpuSet> ded = parse("--dedicated", dedicated);
        Optional<CpuSet> hk = parse("--housekeeping", housekeeping);
        // Both given: the configuration is not needed, so a broken one must not stand in the way.
        HostPolicy policy = ded.isPresent() && hk.isPresent()
                ? HostPolicy.defaults()
                : HostInputs.read(global.configFile(), Optional.empty(), host.root()).policy();
        return host.partition(ded, hk, policy);
    }

    private static Optional<CpuSet> parse(String option, String value) {
        if (value == null) {
            return Optional.empty();
        }
        CpuSet set;
        try {
            set = CpuSet.parse(value);
        } catch (InvalidInputException e) {
            throw e.withKey(option);
        }
        if (set.isEmpty()) {
            throw InvalidInputException.invalid(option, value, option + " must name at least one CPU, not '" + value + "'");
        }
        return Optional.of(set);
    }
}
