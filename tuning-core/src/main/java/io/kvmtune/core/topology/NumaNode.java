package io.kvmtune.core.topology;

import io.kvmtune.core.cpu.CpuSet;
import java.util.List;

/**
 * One host NUMA node.
 *
 * @param id the kernel's node number ({@code nodeN})
 * @param cpus its online CPUs
 * @param distances the SLIT distance to every node of the topology, in the order of
 *     {@link HostTopology#nodes()} (ascending id), as {@code nodeN/distance} lists them; 10 is local
 */
public record NumaNode(int id, CpuSet cpus, List<Integer> distances) {

    public NumaNode {
        if (id < 0) {
            throw new IllegalArgumentException("NUMA node id must not be negative: " + id);
        }
        distances = List.copyOf(distances);
    }
}
