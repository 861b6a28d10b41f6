package io.kvmtune.hostprep.tune;

import java.util.Optional;

/**
 * Choices the planner cannot make alone.
 *
 * @param partitionCgroup an existing cgroup v2 group (path below the v2 mount, such as
 *     {@code /rt.slice}) to turn into an isolated cpuset partition of the dedicated CPUs; empty to
 *     leave partitions alone. Opt-in: an isolated partition removes its CPUs from every other
 *     cgroup, so the guests must live inside it.
 */
public record TunableOptions(Optional<String> partitionCgroup) {

    public static TunableOptions defaults() {
        return new TunableOptions(Optional.empty());
    }
}
