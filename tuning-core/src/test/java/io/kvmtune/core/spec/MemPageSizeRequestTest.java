package io.kvmtune.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Nova's {@code _get_numa_pagesize_constraint}, test by test from Nova 26's
 * {@code test_hardware.py} ({@code VirtMemoryPagesTestCase}): the flavor has 16 vCPUs and 2048 MiB
 * there, as here.
 */
class MemPageSizeRequestTest {

    private static Optional<MemPageSize> pageSize(Map<String, String> spec, Map<String, String> props) {
        return RequestParser.parse(spec, props, 16, OptionalLong.of(2048), "x86_64", "kvm").memPageSize();
    }

    private static InvalidInputException error(Map<String, String> spec, Map<String, String> props) {
        try {
            pageSize(spec, props);
        } catch (InvalidInputException e) {
            return e;
        }
        throw new AssertionError("no error for " + spec + " " + props);
    }

    private static long kib(String flavorValue) {
        MemPageSize p = pageSize(Map.of("hw:mem_page_size", flavorValue), Map.of()).orElseThrow();
        assertThat(p.kind()).isEqualTo(MemPageSize.Kind.SIZE);
        return p.kib();
    }

    @Test
    void test_get_requested_mempages_pagesize_from_flavor_swipe() {
        assertThat(pageSize(Map.of("hw:mem_page_size", "small"), Map.of()).map(MemPageSize::kind))
                .contains(MemPageSize.Kind.SMALL);
        assertThat(pageSize(Map.of("hw:mem_page_size", "large"), Map.of()).map(MemPageSize::kind))
                .contains(MemPageSize.Kind.LARGE);
        assertThat(pageSize(Map.of("hw:mem_page_size", "any"), Map.of()).map(MemPageSize::kind))
                .contains(MemPageSize.Kind.ANY);
    }

    @Test
    void test_get_requested_mempages_pagesize_from_flavor_specific() {
        assertThat(kib("2048")).isEqualTo(2048);
    }

    @Test
    void test_get_requested_mempages_pagesize_from_flavor_invalid() {
        // "foo" and "-42" fail Nova's API pattern first (ValidationError); "2M" passes it and fails Nova's reading.
        assertThat(error(Map.of("hw:mem_page_size", "foo"), Map.of()).getMessage()).contains("foo");
        assertThat(error(Map.of("hw:mem_page_size", "-42"), Map.of()).getMessage()).contains("-42");
        InvalidInputException e = error(Map.of("hw:mem_page_size", "2M"), Map.of());
        assertThat(e.code()).isEqualTo("MemoryPageSizeInvalid");
        assertThat(e.getMessage()).contains("2M");
        // Image values skip the API pattern and reach Nova's reading directly.
        for (String bad : new String[] {"foo", "-42", "2M"}) {
            InvalidInputException i = error(Map.of("hw:mem_page_size", "any"), Map.of("hw_mem_page_size", bad));
            assertThat(i.code()).as(bad).isEqualTo("MemoryPageSizeInvalid");
            assertThat(i.getMessage()).contains(bad);
        }
    }

    @Test
    void test_get_requested_mempages_pagesizes_from_flavor_suffix_sweep() {
        assertThat(kib("2048KB")).isEqualTo(2048);
        assertThat(kib("2MB")).isEqualTo(2048);
        assertThat(kib("1GB")).isEqualTo(1048576);
    }

    @Test
    void test_get_requested_mempages_pagesize_from_image_flavor_any() {
        assertThat(pageSize(Map.of("hw:mem_page_size", "any"), Map.of("hw_mem_page_size", "2048"))
                .map(MemPageSize::kib)).contains(2048L);
    }

    @Test
    void test_get_requested_mempages_pagesize_from_image_flavor_large() {
        assertThat(pageSize(Map.of("hw:mem_page_size", "large"), Map.of("hw_mem_page_size", "2048"))
                .map(MemPageSize::kib)).contains(2048L);
    }

    @Test
    void test_get_requested_mempages_pagesize_from_image_forbidden() {
        InvalidInputException e = error(Map.of("hw:mem_page_size", "small"), Map.of("hw_mem_page_size", "2048"));
        assertThat(e.code()).isEqualTo("MemoryPageSizeForbidden");
        assertThat(e.key()).isEqualTo("hw_mem_page_size");
        assertThat(e.getMessage()).startsWith("Page size 2048 forbidden against 'small'");
    }

    @Test
    void test_get_requested_mempages_pagesize_from_image_forbidden2() {
        InvalidInputException e = error(Map.of(), Map.of("hw_mem_page_size", "2048"));
        assertThat(e.code()).isEqualTo("MemoryPageSizeForbidden");
        assertThat(e.getMessage()).startsWith("Page size 2048 forbidden against '<empty>'");
    }

    @Test
    void aFlavorSizeLeavesTheImageNoChoice_MemoryPageSizeForbidden() {
        // Nova: only large and any let the image choose, even the same size is refused.
        assertThat(error(Map.of("hw:mem_page_size", "2048"), Map.of("hw_mem_page_size", "2048")).code())
                .isEqualTo("MemoryPageSizeForbidden");
    }

    @Test
    void unitsAreReadAsOsloReadsIecSizes() {
        // values and answers from Nova 26 (_get_numa_pagesize_constraint on python3-nova)
        assertThat(kib("2Mb")).isEqualTo(256);
        assertThat(kib("1Gbit")).isEqualTo(131072);
        assertThat(kib("2048KiB")).isEqualTo(2048);
        assertThat(kib("1TiB")).isEqualTo(1073741824L);
        assertThat(pageSize(Map.of("hw:mem_page_size", "any"), Map.of("hw_mem_page_size", "1.5MB"))
                .map(MemPageSize::kib)).contains(1536L);
        assertThat(pageSize(Map.of("hw:mem_page_size", "any"), Map.of("hw_mem_page_size", "+2MB"))
                .map(MemPageSize::kib)).contains(2048L);
        // 512 bytes is half a KiB: no host page has that size
        assertThat(pageSize(Map.of("hw:mem_page_size", "any"), Map.of("hw_mem_page_size", "512B"))
                .map(MemPageSize::kib)).contains(-1L);
    }

    @Test
    void aZeroSizeIsNoPageSizeAsInNova() {
        assertThat(pageSize(Map.of("hw:mem_page_size", "0"), Map.of())).isEmpty();
        // ...but it still lets the guest lock its memory: Nova checks that a value is given
        TuningRequest r = RequestParser.parse(Map.of("hw:mem_page_size", "0", "hw:locked_memory", "yes"), Map.of(), 2,
                OptionalLong.of(1024), "x86_64", "kvm");
        assertThat(r.lockedMemory()).isTrue();
    }

    @Test
    void theMemoryMustSplitEvenlyOverTheNumaNodes_ImageNUMATopologyAsymmetric() {
        assertThatThrownBy(() -> RequestParser.parse(Map.of("hw:numa_nodes", "2"), Map.of(), 4, OptionalLong.of(1025),
                "x86_64", "kvm")).isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("ImageNUMATopologyAsymmetric");
                    assertThat(e.key()).isEqualTo("hw:numa_nodes");
                });
        TuningRequest r = RequestParser.parse(Map.of("hw:numa_nodes", "2"), Map.of(), 4, OptionalLong.of(1024),
                "x86_64", "kvm");
        assertThat(r.numaNodes()).isEqualTo(OptionalInt.of(2));
        assertThat(r.source(RequestSetting.MEMORY)).isEqualTo("memory_mb=1024");
    }
}
