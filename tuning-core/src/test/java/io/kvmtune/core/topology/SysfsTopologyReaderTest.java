package io.kvmtune.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.cpu.CpuSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsTopologyReaderTest {

    @TempDir
    Path root;

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + "\n");
    }

    private void cpu(int cpu, int pkg, int die, int core, String siblings) throws IOException {
        String dir = "sys/devices/system/cpu/cpu" + cpu + "/topology/";
        write(dir + "physical_package_id", Integer.toString(pkg));
        write(dir + "die_id", Integer.toString(die));
        write(dir + "core_id", Integer.toString(core));
        write(dir + "thread_siblings_list", siblings);
    }

    /** Two sockets, two cores each, two threads per core, numbered as Linux numbers x86: siblings n and n+4. */
    private void twoSocketSmtHost() throws IOException {
        write("sys/devices/system/cpu/online", "0-7");
        write("sys/devices/system/cpu/possible", "0-15");
        for (int c = 0; c < 4; c++) {
            String siblings = c + "," + (c + 4);
            cpu(c, c / 2, 0, c % 2, siblings);
            cpu(c + 4, c / 2, 0, c % 2, siblings);
        }
        write("sys/devices/system/node/node0/cpulist", "0-1,4-5");
        write("sys/devices/system/node/node0/distance", "10 21");
        write("sys/devices/system/node/node1/cpulist", "2-3,6-7");
        write("sys/devices/system/node/node1/distance", "21 10");
    }

    @Test
    void readsEachNodesMemoryAndHugePagesAsLibvirtCountsThem() throws IOException {
        twoSocketSmtHost();
        write("sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "2097152");
        write("sys/devices/system/node/node0/meminfo", "Node 0 MemTotal:        8388608 kB\nNode 0 MemFree:  100 kB");
        write("sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "512");
        write("sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages", "500");
        write("sys/devices/system/node/node0/hugepages/hugepages-1048576kB/nr_hugepages", "1");
        write("sys/devices/system/node/node0/hugepages/hugepages-1048576kB/free_hugepages", "0");
        write("sys/devices/system/node/node1/meminfo", "Node 1 MemTotal:        4194304 kB");

        HostTopology t = new SysfsTopologyReader(root).read("x86_64");

        // the base pool is what the huge pages leave: 8 GiB - 1 GiB - 1 GiB, in 4 KiB pages
        assertThat(t.nodes().get(0).memory()).contains(new NodeMemory(8388608, List.of(
                new PagePool(4, 1572864, 1572864), new PagePool(2048, 512, 500), new PagePool(1048576, 1, 0))));
        assertThat(t.nodes().get(1).memory()).contains(new NodeMemory(4194304, List.of(
                new PagePool(4, 1048576, 1048576))));
    }

    @Test
    void aTreeWithoutMeminfoHasNodesOfUnknownMemory() throws IOException {
        twoSocketSmtHost();
        assertThat(new SysfsTopologyReader(root).read("x86_64").nodes()).allSatisfy(n -> assertThat(n.memory()).isEmpty());
    }

    @Test
    void readsNodesCoresSiblingsAndDistances() throws IOException {
        twoSocketSmtHost();

        HostTopology t = new SysfsTopologyReader(root).read("x86_64");

        assertThat(t.online()).isEqualTo(CpuSet.range(0, 7));
        assertThat(t.nodes()).containsExactly(
                new NumaNode(0, CpuSet.parse("0-1,4-5"), List.of(10, 21)),
                new NumaNode(1, CpuSet.parse("2-3,6-7"), List.of(21, 10)));
        assertThat(t.cores()).containsExactly(
                new Core(0, 0, 0, CpuSet.of(0, 4)), new Core(0, 0, 1, CpuSet.of(1, 5)),
                new Core(1, 0, 0, CpuSet.of(2, 6)), new Core(1, 0, 1, CpuSet.of(3, 7)));
        assertThat(t.hasSmt()).isTrue();
        assertThat(t.nodeOf(6).id()).isEqualTo(1);
    }

    @Test
    void offlineCpusAndTheirSiblingLinksAreLeftOut() throws IOException {
        twoSocketSmtHost();
        write("sys/devices/system/cpu/online", "0-6");
        Files.delete(root.resolve("sys/devices/system/cpu/cpu7/topology/core_id"));
        write("sys/devices/system/node/node1/cpulist", "2-3,6");

        HostTopology t = new SysfsTopologyReader(root).read("x86_64");

        assertThat(t.cores()).contains(new Core(1, 0, 1, CpuSet.of(3)));
        assertThat(t.nodes().get(1).cpus()).isEqualTo(CpuSet.parse("2-3,6"));
    }

    @Test
    void kernelWithoutNumaOrDieIdIsOneNodeAndDieZero() throws IOException {
        write("sys/devices/system/cpu/online", "0-1");
        cpu(0, 0, 0, 0, "0");
        cpu(1, 0, 0, 1, "1");
        Files.delete(root.resolve("sys/devices/system/cpu/cpu1/topology/die_id"));

        HostTopology t = new SysfsTopologyReader(root).read("aarch64");

        assertThat(t.nodes()).containsExactly(new NumaNode(0, CpuSet.of(0, 1), List.of(10)));
        assertThat(t.cores()).extracting(Core::dieId).containsExactly(0, 0);
        assertThat(t.arch()).isEqualTo("aarch64");
        assertThat(t.hasSmt()).isFalse();
    }

    @Test
    void malformedFilesAreNamedInTheError() throws IOException {
        twoSocketSmtHost();
        write("sys/devices/system/cpu/cpu2/topology/core_id", "two");

        assertThatThrownBy(() -> new SysfsTopologyReader(root).read("x86_64"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.key()).endsWith("cpu/cpu2/topology/core_id"));
    }

    @Test
    void malformedCpuListNamesTheFile() throws IOException {
        twoSocketSmtHost();
        write("sys/devices/system/node/node1/cpulist", "2-");

        assertThatThrownBy(() -> new SysfsTopologyReader(root).read("x86_64"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.key()).endsWith("node/node1/cpulist"));
    }

    @Test
    void distancesMustCoverEveryNode() throws IOException {
        twoSocketSmtHost();
        write("sys/devices/system/node/node1/distance", "21");

        assertThatThrownBy(() -> new SysfsTopologyReader(root).read("x86_64"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage())
                        .contains("lists 1 distances for 2 nodes"));
    }

    @Test
    void nodesThatLeaveAnOnlineCpuOutAreInconsistent() throws IOException {
        twoSocketSmtHost();
        write("sys/devices/system/node/node1/cpulist", "2-3,6");

        assertThatThrownBy(() -> new SysfsTopologyReader(root).read("x86_64"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage())
                        .contains("leave online CPUs 7 out"));
    }

    @Test
    void missingSysfsIsAMissingComponent() {
        assertThatThrownBy(() -> new SysfsTopologyReader(root).read("x86_64"))
                .isInstanceOf(MissingComponentException.class)
                .hasMessageContaining("sys/devices/system/cpu/online");
    }

    @Test
    void readsThisMachine() throws IOException {
        HostTopology t = SysfsTopologyReader.readHost();

        String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
        assertThat(t.online()).isEqualTo(CpuSet.parse(online));
        assertThat(t.arch()).isEqualTo(HostArch.current());
        assertThat(t.nodes()).isNotEmpty();
        assertThat(t.cores().stream().mapToInt(c -> c.threads().size()).sum()).isEqualTo(t.online().size());
        for (Core core : t.cores()) {
            int cpu = core.threads().first();
            String siblings = Files.readString(Path.of("/sys/devices/system/cpu/cpu" + cpu
                    + "/topology/thread_siblings_list")).strip();
            assertThat(core.threads()).isEqualTo(CpuSet.parse(siblings).intersect(t.online()));
        }
    }
}
