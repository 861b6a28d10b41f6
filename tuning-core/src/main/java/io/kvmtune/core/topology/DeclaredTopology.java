package io.kvmtune.core.topology;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the declared topology JSON of CLI.md, for planning against a host other than this one:
 *
 * <pre>{@code
 * {"online": "0-15",
 *  "nodes": [{"id": 0, "cpus": "0-7", "distances": [10, 21]}, {"id": 1, "cpus": "8-15", "distances": [21, 10]}],
 *  "cores": [[0, 8], [1, 9], ...],
 *  "arch": "x86_64"}
 * }</pre>
 *
 * <p>{@code cores} lists SMT sibling groups; when absent every CPU is a core of its own.
 * {@code distances} (per node, in ascending node id order) and {@code arch} are optional; the
 * architecture defaults to this machine's. A node may give its memory, {@code "memory_mb": 16384},
 * and its huge pages, {@code "hugepages": [{"size_kb": 2048, "total": 512, "free": 500}]}; the
 * base page size is {@code "page_size_kb"} (default 4). A node without {@code memory_mb} has
 * unknown memory: nothing is checked against it, and no page size request fits it. Declared cores have no package or die ids: the
 * package is recorded as the core's node id, the die as 0 and the core id as its position in
 * {@code cores}.
 */
public final class DeclaredTopology {

    private DeclaredTopology() {
    }

    /**
     * @throws InvalidInputException whose key is the JSON path of the bad field ({@code $.nodes[1].cpus})
     */
    public static HostTopology parse(String json) {
        try {
            JsonObject o = Json.parseObject(json);
            CpuSet online = cpus(o, "online");
            long basePageKib = o.optInteger("page_size_kb").orElse(4L);
            if (basePageKib < 1) {
                throw invalid(o.path() + ".page_size_kb", Long.toString(basePageKib), "must be at least 1");
            }
            List<NumaNode> nodes = nodes(o, online, basePageKib);
            List<Core> cores = o.has("cores") ? cores(o, online, nodes) : singleThreadCores(online, nodes);
            String arch = o.optString("arch").orElseGet(HostArch::current);
            try {
                return new HostTopology(arch, online, nodes, cores);
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.invalid("$", null, "declared topology: " + e.getMessage());
            }
        } catch (JsonException e) {
            // Shape errors start with the field's path; syntax errors name only an offset.
            String message = e.getMessage();
            String key = message.startsWith("$") ? message.substring(0, message.indexOf(' ')) : "topology";
            throw InvalidInputException.invalid(key, null, "declared topology: " + message);
        }
    }

    private static List<NumaNode> nodes(JsonObject o, CpuSet online, long basePageKib) {
        List<JsonObject> items = o.objects("nodes");
        if (items.isEmpty()) {
            throw invalid(o.path() + ".nodes", "[]", "must list at least one NUMA node");
        }
        List<NumaNode> nodes = new ArrayList<>(items.size());
        for (JsonObject n : items) {
            int id = n.intValue("id");
            if (id < 0) {
                throw invalid(n.path() + ".id", String.valueOf(id), "must not be negative");
            }
            CpuSet cpus = cpus(n, "cpus");
            if (!online.containsAll(cpus)) {
                throw invalid(n.path() + ".cpus", cpus.format(), "holds CPUs " + cpus.minus(online) + " not in $.online");
            }
            for (NumaNode earlier : nodes) {
                if (earlier.id() == id) {
                    throw invalid(n.path() + ".id", String.valueOf(id), "repeats node " + id);
                }
                if (earlier.cpus().intersects(cpus)) {
                    throw invalid(n.path() + ".cpus", cpus.format(), "repeats CPUs "
                            + cpus.intersect(earlier.cpus()) + " of node " + earlier.id());
                }
            }
            nodes.add(new NumaNode(id, cpus, distances(n, items.size()), memory(n, basePageKib)));
        }
        CpuSet covered = nodes.stream().map(NumaNode::cpus).reduce(CpuSet.empty(), CpuSet::union);
        if (!covered.equals(online)) {
            throw invalid(o.path() + ".nodes", null, "leave online CPUs " + online.minus(covered) + " in no node");
        }
        return nodes;
    }

    private static Optional<NodeMemory> memory(JsonObject n, long basePageKib) {
        if (!n.has("memory_mb")) {
            if (n.has("hugepages")) {
                throw invalid(n.path() + ".hugepages", null, "needs the node's memory_mb beside it");
            }
            return Optional.empty();
        }
        long memoryMb = n.integer("memory_mb");
        if (memoryMb < 1) {
            throw invalid(n.path() + ".memory_mb", Long.toString(memoryMb), "must be at least 1");
        }
        List<PagePool> huge = new ArrayList<>();
        for (JsonObject p : n.has("hugepages") ? n.objects("hugepages") : List.<JsonObject>of()) {
            long size = p.integer("size_kb");
            long total = p.integer("total");
            long free = p.optInteger("free").orElse(total);
            if (size <= basePageKib || total < 0 || free < 0 || free > total) {
                throw invalid(p.path(), null, "needs size_kb above the base page (" + basePageKib
                        + " KiB) and 0 <= free <= total");
            }
            huge.add(new PagePool(size, total, free));
        }
        try {
            return Optional.of(NodeMemory.of(memoryMb * 1024, basePageKib, huge));
        } catch (IllegalArgumentException e) {
            throw invalid(n.path() + ".hugepages", null, e.getMessage());
        }
    }

    private static List<Integer> distances(JsonObject n, int nodeCount) {
        if (!n.has("distances")) {
            return List.of();
        }
        List<Object> raw = n.array("distances");
        if (raw.size() != nodeCount) {
            throw invalid(n.path() + ".distances", Json.write(raw), "lists " + raw.size() + " distances for "
                    + nodeCount + " nodes");
        }
        List<Integer> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(number(raw.get(i), n.path() + ".distances[" + i + "]", 1, 255));
        }
        return out;
    }

    private static List<Core> cores(JsonObject o, CpuSet online, List<NumaNode> nodes) {
        List<Object> items = o.array("cores");
        List<Core> cores = new ArrayList<>(items.size());
        CpuSet seen = CpuSet.empty();
        for (int i = 0; i < items.size(); i++) {
            String path = o.path() + ".cores[" + i + "]";
            if (!(items.get(i) instanceof List<?> list) || list.isEmpty()) {
                throw invalid(path, Json.write(items.get(i)), "must be a non-empty array of CPU numbers");
            }
            int[] ids = new int[list.size()];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = number(list.get(j), path + "[" + j + "]", 0, CpuSet.MAX_CPU);
            }
            CpuSet threads = CpuSet.of(ids);
            if (!online.containsAll(threads)) {
                throw invalid(path, threads.format(), "holds CPUs " + threads.minus(online) + " not in $.online");
            }
            if (seen.intersects(threads)) {
                throw invalid(path, threads.format(), "repeats CPUs " + threads.intersect(seen) + " of an earlier core");
            }
            NumaNode node = nodeHolding(nodes, threads.first());
            if (!node.cpus().containsAll(threads)) {
                throw invalid(path, threads.format(), "spans NUMA nodes; a core's threads share one node");
            }
            seen = seen.union(threads);
            cores.add(new Core(node.id(), 0, i, threads));
        }
        if (!seen.equals(online)) {
            throw invalid(o.path() + ".cores", null, "leave online CPUs " + online.minus(seen) + " in no core");
        }
        return cores;
    }

    private static List<Core> singleThreadCores(CpuSet online, List<NumaNode> nodes) {
        List<Core> cores = new ArrayList<>(online.size());
        for (int cpu = online.first(); cpu >= 0; cpu = online.nextSetBit(cpu + 1)) {
            cores.add(new Core(nodeHolding(nodes, cpu).id(), 0, cpu, CpuSet.of(cpu)));
        }
        return cores;
    }

    private static NumaNode nodeHolding(List<NumaNode> nodes, int cpu) {
        return nodes.stream().filter(n -> n.cpus().contains(cpu)).findFirst().orElseThrow();
    }

    private static CpuSet cpus(JsonObject o, String name) {
        String spec = o.string(name);
        CpuSet cpus = CpuSet.parse(spec, o.path() + "." + name);
        if (name.equals("online") && cpus.isEmpty()) {
            throw invalid(o.path() + "." + name, spec, "must list at least one CPU");
        }
        return cpus;
    }

    private static int number(Object value, String path, int min, int max) {
        if (!(value instanceof Long n) || n < min || n > max) {
            throw invalid(path, Json.write(value), "must be an integer from " + min + " to " + max);
        }
        return n.intValue();
    }

    private static InvalidInputException invalid(String path, String value, String why) {
        return InvalidInputException.invalid(path, value, path + " " + why);
    }
}
