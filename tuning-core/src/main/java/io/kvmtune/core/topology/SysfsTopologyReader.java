package io.kvmtune.core.topology;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.cpu.CpuSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link HostTopology} from sysfs under a root directory: {@code /} for this host, a
 * fake tree in tests.
 *
 * <p>Files read, relative to the root: {@code sys/devices/system/cpu/{online,possible}},
 * {@code cpuN/topology/{core_id,physical_package_id,die_id,thread_siblings_list}} for every
 * online CPU, and {@code sys/devices/system/node/nodeN/{cpulist,distance}}. A kernel built
 * without NUMA has no node directory; the host is then one node 0. Kernels before 5.2 have no
 * {@code die_id}; the die is then 0. Offline CPUs have no topology directory and are skipped.
 *
 * <p>Each node's memory comes from {@code nodeN/meminfo} ({@code MemTotal}) and
 * {@code nodeN/hugepages/hugepages-SIZEkB/{nr_hugepages,free_hugepages}} (without node
 * directories: {@code proc/meminfo} and {@code sys/kernel/mm/hugepages}); the base page size
 * from {@code sys/kernel/mm/transparent_hugepage/hpage_pmd_size}, else 4 KiB. A tree without
 * them gives nodes whose memory is unknown.
 */
public final class SysfsTopologyReader {

    private static final String CPU_DIR = "sys/devices/system/cpu";
    private static final String NODE_DIR = "sys/devices/system/node";

    private final Path root;

    public SysfsTopologyReader(Path root) {
        this.root = root;
    }

    /** The topology of the machine this JVM runs on. */
    public static HostTopology readHost() {
        return new SysfsTopologyReader(Path.of("/")).read(HostArch.current());
    }

    /**
     * Reads the tree.
     *
     * @param arch the host architecture to record (sysfs does not say it)
     * @throws MissingComponentException when the tree has no {@code cpu/online}
     * @throws InvalidInputException naming the file whose content cannot be parsed or does not fit
     */
    public HostTopology read(String arch) {
        Path cpuDir = root.resolve(CPU_DIR);
        CpuSet online = cpuList(cpuDir.resolve("online"), true);
        if (online.isEmpty()) {
            throw InvalidInputException.invalid(cpuDir.resolve("online").toString(), "",
                    cpuDir.resolve("online") + " lists no CPU");
        }
        CpuSet possible = cpuList(cpuDir.resolve("possible"), false);
        if (possible != null && !possible.containsAll(online)) {
            throw InvalidInputException.invalid(cpuDir.resolve("online").toString(), online.format(),
                    "online CPUs " + online.minus(possible) + " are not in " + cpuDir.resolve("possible")
                            + " (" + possible + ")");
        }
        List<Core> cores = readCores(cpuDir, online);
        List<NumaNode> nodes = readNodes(online);
        try {
            return new HostTopology(arch, online, nodes, cores);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.invalid(root.resolve("sys/devices/system").toString(), null,
                    "inconsistent topology under " + root.resolve("sys/devices/system") + ": " + e.getMessage());
        }
    }

    private List<Core> readCores(Path cpuDir, CpuSet online) {
        List<Core> cores = new ArrayList<>();
        CpuSet seen = CpuSet.empty();
        for (int cpu = online.first(); cpu >= 0; cpu = online.nextSetBit(cpu + 1)) {
            if (seen.contains(cpu)) {
                continue;
            }
            Path topo = cpuDir.resolve("cpu" + cpu).resolve("topology");
            // Siblings that are offline are not part of the host the planner may use.
            CpuSet threads = cpuList(topo.resolve("thread_siblings_list"), true).intersect(online);
            if (!threads.contains(cpu)) {
                throw InvalidInputException.invalid(topo.resolve("thread_siblings_list").toString(), threads.format(),
                        topo.resolve("thread_siblings_list") + " does not list CPU " + cpu + " itself");
            }
            Integer die = integer(topo.resolve("die_id"), false);
            cores.add(new Core(integer(topo.resolve("physical_package_id"), true), die == null ? 0 : die,
                    integer(topo.resolve("core_id"), true), threads));
            seen = seen.union(threads);
        }
        return cores;
    }

    private List<NumaNode> readNodes(CpuSet online) {
        Map<Integer, Path> dirs = new LinkedHashMap<>();
        Path nodeDir = root.resolve(NODE_DIR);
        if (Files.isDirectory(nodeDir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(nodeDir, "node[0-9]*")) {
                for (Path p : entries) {
                    dirs.put(Integer.parseInt(p.getFileName().toString().substring(4)), p);
                }
            } catch (IOException e) {
                throw new MissingComponentException("NoSysfs", "cannot list " + nodeDir + ": " + e.getMessage(), e);
            } catch (NumberFormatException e) {
                throw InvalidInputException.invalid(nodeDir.toString(), null, nodeDir + " holds a node directory "
                        + "whose number cannot be read: " + e.getMessage());
            }
        }
        long basePageKib = basePageKib();
        if (dirs.isEmpty()) {
            return List.of(new NumaNode(0, online, List.of(10), memory(root.resolve("proc/meminfo"), "MemTotal:",
                    root.resolve("sys/kernel/mm/hugepages"), basePageKib)));
        }
        List<Integer> ids = dirs.keySet().stream().sorted().toList();
        List<NumaNode> nodes = new ArrayList<>(ids.size());
        for (int id : ids) {
            Path dir = dirs.get(id);
            nodes.add(new NumaNode(id, cpuList(dir.resolve("cpulist"), true).intersect(online),
                    distances(dir.resolve("distance"), ids.size()),
                    memory(dir.resolve("meminfo"), "Node " + id + " MemTotal:", dir.resolve("hugepages"), basePageKib)));
        }
        return nodes;
    }

    /**
     * The base page size: a PMD maps as many base pages as a base page holds 8-byte entries, so
     * the PMD (transparent huge page) size is base * base / 8.
     */
    private long basePageKib() {
        String pmd = read(root.resolve("sys/kernel/mm/transparent_hugepage/hpage_pmd_size"), false);
        if (pmd == null) {
            return 4;
        }
        long base = Math.round(Math.sqrt(Long.parseLong(pmd) * 8.0));
        return Math.max(1, base / 1024);
    }

    /** A node's memory and page pools, or empty when its meminfo is not there. */
    private static Optional<NodeMemory> memory(Path meminfo, String totalPrefix, Path hugepagesDir, long basePageKib) {
        String text = read(meminfo, false);
        if (text == null) {
            return Optional.empty();
        }
        long totalKib = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith(totalPrefix)) {
                String value = line.substring(totalPrefix.length()).strip();
                totalKib = parseLong(meminfo, value.endsWith(" kB") ? value.substring(0, value.length() - 3).strip() : value);
            }
        }
        if (totalKib < 0) {
            throw InvalidInputException.invalid(meminfo.toString(), null, meminfo + " has no " + totalPrefix + " line");
        }
        List<PagePool> huge = new ArrayList<>(2);
        if (Files.isDirectory(hugepagesDir)) {
            try (DirectoryStream<Path> sizes = Files.newDirectoryStream(hugepagesDir, "hugepages-*kB")) {
                for (Path p : sizes) {
                    String name = p.getFileName().toString();
                    long size = parseLong(p, name.substring("hugepages-".length(), name.length() - 2));
                    long total = parseLong(p.resolve("nr_hugepages"), read(p.resolve("nr_hugepages"), true));
                    long free = parseLong(p.resolve("free_hugepages"), read(p.resolve("free_hugepages"), true));
                    huge.add(new PagePool(size, total, Math.min(free, total)));
                }
            } catch (IOException e) {
                throw new MissingComponentException("NoSysfs", "cannot list " + hugepagesDir + ": " + e.getMessage(), e);
            }
        }
        try {
            return Optional.of(NodeMemory.of(totalKib, basePageKib, huge));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.invalid(meminfo.toString(), null, meminfo + ": " + e.getMessage());
        }
    }

    private static long parseLong(Path file, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw InvalidInputException.invalid(file.toString(), text, file + ": '" + text + "' is not an integer");
        }
    }

    private static List<Integer> distances(Path file, int nodeCount) {
        String text = read(file, true);
        String[] fields = text.isEmpty() ? new String[0] : text.split("\\s+");
        if (fields.length != nodeCount) {
            throw InvalidInputException.invalid(file.toString(), text, file + " lists " + fields.length
                    + " distances for " + nodeCount + " nodes");
        }
        List<Integer> out = new ArrayList<>(fields.length);
        for (String f : fields) {
            out.add(parseInt(file, f));
        }
        return out;
    }

    private static CpuSet cpuList(Path file, boolean required) {
        String text = read(file, required);
        if (text == null) {
            return null;
        }
        return CpuSet.parse(text, file.toString());
    }

    private static Integer integer(Path file, boolean required) {
        String text = read(file, required);
        return text == null ? null : parseInt(file, text);
    }

    private static int parseInt(Path file, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw InvalidInputException.invalid(file.toString(), text, file + ": '" + text + "' is not an integer");
        }
    }

    /** The file's content without surrounding whitespace, or null when an optional file is absent. */
    private static String read(Path file, boolean required) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            if (!required) {
                return null;
            }
            throw new MissingComponentException("NoSysfs", "cannot read the host topology: " + file + " does not exist", e);
        } catch (IOException e) {
            throw new MissingComponentException("NoSysfs", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
