package io.kvmtune.core.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.DeclaredHostPlans;
import io.kvmtune.core.plan.EmulatorPlacement;
import io.kvmtune.core.plan.EmulatorRule;
import io.kvmtune.core.plan.MemoryPlan;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Huge pages from request to domain XML: Nova's {@code _get_guest_memory_backing_config} tests
 * (test_driver.py) for the elements, and the host-cell choice of {@code numa_fit_instance_to_host}
 * with page sizes (Nova 26 on the same input, by {@code nova/nova_decide.py}, gave each expected
 * host cell below).
 */
class HugePagesTest {

    /**
     * Two nodes, CPUs 0-3 and 4-7. Node 0: 4 GiB, 2 MiB pages 512 of which 100 free, 1 GiB pages 2
     * free. Node 1: 8 GiB, 2 MiB pages 1024 free.
     */
    private static final String TWO_NODES = """
            {"online": "0-7", "nodes": [
              {"id": 0, "cpus": "0-3", "memory_mb": 4096,
               "hugepages": [{"size_kb": 2048, "total": 512, "free": 100}, {"size_kb": 1048576, "total": 2, "free": 2}]},
              {"id": 1, "cpus": "4-7", "memory_mb": 8192, "hugepages": [{"size_kb": 2048, "total": 1024}]}]}""";

    @TempDir
    Path tmp;

    private static TuningPlan plan(String topology, String conf, long memoryMb, int vcpus, String... flavor) {
        return plan(topology, conf, memoryMb, vcpus, Map.of(), flavor);
    }

    private static TuningPlan plan(String topology, String conf, long memoryMb, int vcpus, Map<String, String> image,
            String... flavor) {
        return DeclaredHostPlans.plan(topology, conf, CpuSet.empty(), vcpus, OptionalLong.of(memoryMb), image, flavor);
    }

    private static TuningPlan withMemory(MemoryPlan memory) {
        return new TuningPlan(List.of(new VcpuPlacement(0, CpuSet.of(1), true, io.kvmtune.linux.SchedPolicy.OTHER, 0)), Optional.empty(),
                new EmulatorPlacement(CpuSet.of(1), EmulatorRule.GUEST_PCPUS), OptionalInt.empty(), memory,
                Optional.empty(), Optional.empty(), List.of());
    }

    /** Nova's host cell 3 of test_driver.py: 4 KiB, 2 MiB (512 free) and 1 GiB (none) pages. */
    private static final String CELL3 = """
            {"online": "1", "nodes": [{"id": 3, "cpus": "1", "memory_mb": 2048, "hugepages": [
              {"size_kb": 2048, "total": 512}, {"size_kb": 1048576, "total": 0}]}]}""";

    @Test
    void test_get_guest_memory_backing_config_large_success() {
        // a 1024 MiB guest asking 2048
        TuningPlan plan = plan(CELL3, "", 1024, 1, "hw:mem_page_size=2048");

        assertThat(plan.memory().hugePageKib()).isEqualTo(2048);
        assertThat(plan.memory().hugePageNodes()).isEqualTo(CpuSet.of(3));
        assertThat(PlanXml.render(plan, "kvm")).contains("""
                <memoryBacking>
                  <hugepages>
                    <page size="2048" unit="KiB"/>
                  </hugepages>
                </memoryBacking>
                <numatune>
                  <memory mode="strict" nodeset="3"/>
                </numatune>
                """);
    }

    @Test
    void test_get_guest_memory_backing_config_smallest() {
        // pagesize 4 is the host's smallest: Nova writes no memoryBacking at all
        TuningPlan plan = plan(CELL3, "", 1024, 1, "hw:mem_page_size=4");

        assertThat(plan.memory().hugePages()).isFalse();
        assertThat(PlanXml.render(plan, "kvm")).doesNotContain("memoryBacking").doesNotContain("numatune");
        assertThat(plan.reasons()).anySatisfy(r -> assertThat(r.decision())
                .isEqualTo("guest memory in the host's base 4 KiB pages"));
    }

    @Test
    void test_get_guest_memory_backing_config_realtime() {
        assertThat(MemoryBackingXml.memoryBacking(PlanXml.newDocument(), withMemory(new MemoryPlan(true, true)))
                .map(PlanXml::toXml)).contains("""
                        <memoryBacking>
                          <nosharepages/>
                          <locked/>
                        </memoryBacking>
                        """);
    }

    @Test
    void test_get_guest_memory_backing_config_locked_flavor() {
        TuningPlan plan = plan(TWO_NODES, "[compute]\ncpu_dedicated_set = 0-7\n", 1024, 2, "hw:cpu_policy=dedicated",
                "hw:locked_memory=True", "hw:mem_page_size=2048");
        assertThat(plan.memory().locked()).isTrue();
        // Nova's child order: hugepages, nosharepages, locked
        assertThat(PlanXml.render(plan, "kvm")).contains("""
                <memoryBacking>
                  <hugepages>
                    <page size="2048" unit="KiB"/>
                  </hugepages>
                  <locked/>
                </memoryBacking>
                """);
    }

    @Test
    void test_get_guest_memory_backing_config_locked_image_meta() {
        TuningPlan plan = plan(TWO_NODES, "", 1024, 2, Map.of("hw_locked_memory", "True"), "hw:mem_page_size=2048");
        assertThat(plan.memory().locked()).isTrue();
        assertThat(plan.memory().hugePageKib()).isEqualTo(2048);
    }

    @Test
    void aPinnedGuestGoesWhereItsPagesAreFree() {
        // Nova: node 0 has the same free CPUs but only 100 free 2 MiB pages (200 MiB); node 1 takes it.
        TuningPlan plan = plan(TWO_NODES, "[compute]\ncpu_dedicated_set = 0-7\n", 1024, 2, "hw:cpu_policy=dedicated",
                "hw:mem_page_size=2MB");
        assertThat(plan.vcpus().get(0).pcpus().first()).isBetween(4, 7);
        assertThat(plan.memory().hugePageNodes()).isEqualTo(CpuSet.of(1));
        assertThat(plan.reasons()).anySatisfy(r -> {
            assertThat(r.decision()).isEqualTo("guest memory in 2048 KiB huge pages from host NUMA node 1, bound there"
                    + " (numatune strict)");
            assertThat(r.because()).isEqualTo("hw:mem_page_size=2MB, memory_mb=1024");
        });
    }

    @Test
    void largeTakesTheLargestSizeThatFits() {
        // Nova: node 1 first (more memory), but it has no 1 GiB pages; large there is 2 MiB.
        assertThat(plan(TWO_NODES, "", 2048, 2, "hw:mem_page_size=large").memory().hugePageKib()).isEqualTo(2048);
        // 1 GiB pages only on node 0
        TuningPlan gig = plan(TWO_NODES, "", 2048, 2, "hw:mem_page_size=1GB");
        assertThat(gig.memory().hugePageKib()).isEqualTo(1048576);
        assertThat(gig.memory().hugePageNodes()).isEqualTo(CpuSet.of(0));
    }

    @Test
    void anUnpinnedGuestTriesTheNodeWithMoreMemoryFirst() {
        // numa_fit_instance_to_host sorts host cells by free memory, most first (spread)
        TuningPlan plan = plan(TWO_NODES, "", 512, 2, "hw:mem_page_size=small");
        assertThat(plan.vcpus().get(0).pcpus()).isEqualTo(CpuSet.range(4, 7));
        TuningPlan packed = plan(TWO_NODES, "[compute]\npacking_host_numa_cells_allocation_strategy = True\n", 512, 2,
                "hw:mem_page_size=small");
        assertThat(packed.vcpus().get(0).pcpus()).isEqualTo(CpuSet.range(0, 3));
    }

    @Test
    void noHostNodeWithEnoughFreePagesDoesNotFit() {
        assertThatThrownBy(() -> plan(TWO_NODES, "", 4096, 2, "hw:mem_page_size=2048"))
                .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                    assertThat(e.key()).isEqualTo("hw:mem_page_size");
                    assertThat(e.getMessage()).contains("the guest's 4096 MiB (memory_mb=4096) need that much free in"
                            + " 2048 KiB pages (hw:mem_page_size=2048)").contains("node 0: ").contains("100 free 2048 KiB"
                            + " pages").contains("node 1: ").contains("1024 free 2048 KiB pages");
                });
        // a size no node has: Nova's MemoryPageSizeNotSupported, which its fit reads as no fit
        assertThatThrownBy(() -> plan(TWO_NODES, "", 1024, 2, "hw:mem_page_size=4096"))
                .isInstanceOf(DoesNotFitException.class);
    }

    @Test
    void aNodeWhoseMemoryIsNotDeclaredHasNoPagesToGive() {
        String bare = "{\"online\": \"0-3\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-3\"}]}";
        assertThatThrownBy(() -> plan(bare, "", 1024, 2, "hw:mem_page_size=large"))
                .isInstanceOfSatisfying(DoesNotFitException.class,
                        e -> assertThat(e.getMessage()).contains("node 0: memory not known"));
        // without a page size nothing is checked against unknown memory
        assertThat(plan(bare, "", 1 << 20, 2, "hw:numa_nodes=1").memory().hugePages()).isFalse();
    }

    @Test
    void aGuestNodeLargerThanTheHostNodesMemoryDoesNotFit() {
        // Nova: without a page size the cell's base pages (free or not, the huge pages not counted) must hold
        // the guest cell: node 0 has 1024 MiB of them, node 1 6144 MiB
        assertThatThrownBy(() -> plan(TWO_NODES, "", 8192, 2, "hw:numa_nodes=1"))
                .isInstanceOfSatisfying(DoesNotFitException.class, e -> {
                    assertThat(e.key()).isEqualTo("memory_mb");
                    assertThat(e.getMessage()).endsWith("the host has node 0: 1024 MiB; node 1: 6144 MiB");
                });
        assertThat(plan(TWO_NODES, "", 2048, 2, "hw:numa_nodes=2").vcpus()).hasSize(2);
        assertThatThrownBy(() -> plan(TWO_NODES, "", 4096, 2, "hw:numa_nodes=2")).isInstanceOf(DoesNotFitException.class);
    }

    @Test
    void theMemoryPlanRoundTripsThroughJson() {
        TuningPlan plan = plan(TWO_NODES, "", 1024, 2, "hw:mem_page_size=2048");
        String json = Json.write(plan);
        assertThat(json).contains("\"hugepage_size_kib\":2048").contains("\"hugepage_host_nodes\":[1]");
        assertThat(TuningPlan.fromJson(json).memory()).isEqualTo(plan.memory());
    }

    @Test
    void thePatchedDomainIsValidAndReplacesTheDomainsPages() throws Exception {
        TuningPlan plan = plan(TWO_NODES, "", 1024, 2, "hw:mem_page_size=2048");
        String domain = """
                <domain type="kvm"><name>g</name><memory unit="MiB">1024</memory><vcpu>2</vcpu>
                  <memoryBacking><hugepages><page size="1" unit="G"/></hugepages></memoryBacking>
                  <numatune><memory mode="interleave" nodeset="0-1"/></numatune>
                  <os><type arch="x86_64">hvm</type></os></domain>""";
        String patched = DomainXmlPatcher.patch(domain.getBytes(java.nio.charset.StandardCharsets.UTF_8), plan, "kvm",
                new TuningMetadata(Map.of("hw:mem_page_size", "2048"), Map.of()));
        assertThat(patched).contains("<page size=\"2048\" unit=\"KiB\"/>").doesNotContain("unit=\"G\"")
                .contains("<memory mode=\"strict\" nodeset=\"1\"/>").doesNotContain("interleave");
        VirtXmlValidate.assertValidDomain(patched, tmp);
        assertThat(DomainXmlReader.read(patched.getBytes(java.nio.charset.StandardCharsets.UTF_8)).memoryMb())
                .isEqualTo(OptionalLong.of(1024));
    }

    /** The hook's prepare refuses a domain XML that would start QEMU without the plan's huge pages. */
    @Test
    void aDomainXmlWithoutThePlansHugePagesIsAStartSettingsDifference() {
        TuningPlan plan = plan(TWO_NODES, "", 1024, 2, "hw:mem_page_size=2048");
        String bare = "<domain><name>g</name><memory unit='MiB'>1024</memory><vcpu>2</vcpu></domain>";
        assertThat(StartSettingsCheck.differences(plan, StartSettings.read(bare.getBytes())))
                .filteredOn(d -> d.setting() == StartSettingsCheck.Setting.HUGEPAGES).singleElement().satisfies(d -> {
                    assertThat(d.setting()).isEqualTo(StartSettingsCheck.Setting.HUGEPAGES);
                    assertThat(d.message()).isEqualTo("huge pages: the plan backs guest memory with 2048 KiB pages from"
                            + " host node(s) 1, the domain XML has no <memoryBacking><hugepages>");
                });
        String gig = "<domain><name>g</name><memoryBacking><hugepages><page size='1' unit='G'/></hugepages>"
                + "</memoryBacking></domain>";
        assertThat(StartSettingsCheck.differences(plan, StartSettings.read(gig.getBytes())))
                .filteredOn(d -> d.setting() == StartSettingsCheck.Setting.HUGEPAGES).singleElement()
                .satisfies(d -> assertThat(d.message()).endsWith("<page size='1048576' unit='KiB'>"));
        String patched = DomainXmlPatcher.patch(bare.getBytes(), plan, "kvm",
                new TuningMetadata(Map.of("hw:mem_page_size", "2048"), Map.of()));
        assertThat(StartSettingsCheck.differences(plan, StartSettings.read(patched.getBytes()))).isEmpty();
    }
}
