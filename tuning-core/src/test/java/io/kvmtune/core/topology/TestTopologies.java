package io.kvmtune.core.topology;

import io.kvmtune.core.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic host topologies laid out as Linux numbers x86 CPUs: the first thread of every core
 * first, then the second threads, so core {@code c}'s threads are {@code c, c + cores, ...}.
 * Node {@code n} holds cores {@code n * coresPerNode .. (n + 1) * coresPerNode - 1}.
 */
public final class TestTopologies {

    private TestTopologies() {
    }

    public static HostTopology host(int nodes, int coresPerNode, int threadsPerCore) {
        return host("x86_64", nodes, coresPerNode, threadsPerCore);
    }

    public static HostTopology host(String arch, int nodes, int coresPerNode, int threadsPerCore) {
        int cores = nodes * coresPerNode;
        List<Core> coreList = new ArrayList<>(cores);
        List<NumaNode> nodeList = new ArrayList<>(nodes);
        for (int n = 0; n < nodes; n++) {
            CpuSet nodeCpus = CpuSet.empty();
            for (int c = n * coresPerNode; c < (n + 1) * coresPerNode; c++) {
                CpuSet threads = CpuSet.empty();
                for (int t = 0; t < threadsPerCore; t++) {
                    threads = threads.with(c + t * cores);
                }
                coreList.add(new Core(n, 0, c - n * coresPerNode, threads));
                nodeCpus = nodeCpus.union(threads);
            }
            List<Integer> distances = new ArrayList<>(nodes);
            for (int m = 0; m < nodes; m++) {
                distances.add(m == n ? 10 : 21);
            }
            nodeList.add(new NumaNode(n, nodeCpus, distances));
        }
        return new HostTopology(arch, CpuSet.firstN(cores * threadsPerCore), nodeList, coreList);
    }
}
