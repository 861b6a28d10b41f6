package io.kvmtune.core.topology;

import io.kvmtune.core.cpu.CpuSet;
import java.util.List;
import java.util.Optional;

/**
 * One host NUMA node.
 *
 * @param id the kernel's node number ({@code nodeN})
 * @param cpus its online CPUs
 * @param distances the SLIT distance to every node of the topology, in the order of
 *     {@link HostTopology#nodes()} (ascending id), as {@code nodeN/distance} lists them; 10 is local
 * @param memory its memory and page pools, when known (a declared topology may leave them out)
 */
public record NumaNode(int id, CpuSet cpus, List<Integer> distances, Optional<NodeMemory> memory) {

    /** A node whose memory is not known. */
    public NumaNode(int id, CpuSet cpus, List<Integer> distances) {
        this(id, cpus, distances, Optional.empty());
    }

    public NumaNode {
        if (id < 0) {
            throw new IllegalArgumentException("NUMA node id must not be negative: " + id);
        }
        distances = List.copyOf(distances);
    }
}
