package io.kvmtune.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DeclaredTopologyTest {

    @Test
    void readsTheCliExample() {
        HostTopology t = DeclaredTopology.parse("""
                {"online": "0-15", "arch": "x86_64",
                 "nodes": [{"id": 0, "cpus": "0-7", "distances": [10, 21]}, {"id": 1, "cpus": "8-15", "distances": [21, 10]}],
                 "cores": [[0, 4], [1, 5], [2, 6], [3, 7], [8, 12], [9, 13], [10, 14], [11, 15]]}
                """);

        assertThat(t.online()).isEqualTo(CpuSet.range(0, 15));
        assertThat(t.nodes()).containsExactly(new NumaNode(0, CpuSet.range(0, 7), List.of(10, 21)),
                new NumaNode(1, CpuSet.range(8, 15), List.of(21, 10)));
        assertThat(t.cores()).hasSize(8).first().isEqualTo(new Core(0, 0, 0, CpuSet.of(0, 4)));
        assertThat(t.cores().get(4)).isEqualTo(new Core(1, 0, 4, CpuSet.of(8, 12)));
    }

    @Test
    void aNodeMayDeclareItsMemoryAndHugePages() {
        HostTopology t = DeclaredTopology.parse("""
                {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-1", "memory_mb": 4096,
                  "hugepages": [{"size_kb": 2048, "total": 512, "free": 100}]}, {"id": 1, "cpus": "2-3"}]}""");
        assertThat(t.nodes().get(0).memory()).contains(new NodeMemory(4096 * 1024, List.of(
                new PagePool(4, 786432, 786432), new PagePool(2048, 512, 100))));
        assertThat(t.nodes().get(1).memory()).isEmpty();
    }

    @Test
    void withoutCoresEveryCpuIsItsOwnCore() {
        HostTopology t = DeclaredTopology.parse("{\"online\": \"0-3\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-3\"}]}");

        assertThat(t.cores()).extracting(Core::threads).containsExactly(CpuSet.of(0), CpuSet.of(1), CpuSet.of(2), CpuSet.of(3));
        assertThat(t.hasSmt()).isFalse();
        assertThat(t.arch()).isEqualTo(HostArch.current());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"nodes": [{"id": 0, "cpus": "0-3"}]}                                                  | $.online
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3,^"}]}                                | $.nodes[0].cpus
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-4"}]}                                  | $.nodes[0].cpus
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-1"}]}                                  | $.nodes
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-1"}, {"id": 0, "cpus": "2-3"}]}        | $.nodes[1].id
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-2"}, {"id": 1, "cpus": "2-3"}]}        | $.nodes[1].cpus
            {"online": "0-3", "nodes": [{"cpus": "0-3"}]}                                           | $.nodes[0].id
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3", "distances": [10, 20]}]}           | $.nodes[0].distances
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-1"}, {"id": 1, "cpus": "2-3"}], "cores": [[0, 2], [1], [3]]} | $.cores[0]
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3"}], "cores": [[0, 1], [1, 2], [3]]} | $.cores[1]
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3"}], "cores": [[0, 1], [2]]}         | $.cores
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3"}], "cores": [[0, "x"], [2, 3]]}    | $.cores[0][1]
            {"online": "0-3", "nodes": []}                                                          | $.nodes
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3"}]                                   | topology
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3", "memory_mb": 0}]}                  | $.nodes[0].memory_mb
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3", "hugepages": []}]}                 | $.nodes[0].hugepages
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3", "memory_mb": 1024, "hugepages": [{"size_kb": 2048, "total": 4, "free": 5}]}]} | $.nodes[0].hugepages[0]
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3", "memory_mb": 1024, "hugepages": [{"size_kb": 2048, "total": 1024}]}]} | $.nodes[0].hugepages
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3"}], "page_size_kb": 0}              | $.page_size_kb
            """)
    void errorsNameTheJsonField(String json, String field) {
        assertThatThrownBy(() -> DeclaredTopology.parse(json))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.key()).isEqualTo(field);
                    assertThat(e.code()).isEqualTo("Invalid");
                });
    }
}
