package io.kvmtune.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.spec.MemPageSize;
import io.kvmtune.core.topology.NodeMemory;
import io.kvmtune.core.topology.PagePool;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nova's {@code _numa_cell_supports_pagesize_request} and {@code NUMACell.can_fit_pagesize}, test by
 * test from Nova 26's {@code test_hardware.py} and {@code objects/test_numa.py}, with Nova's host
 * cells and guest cells (memory in MiB there, KiB here).
 */
class MemoryFitTest {

    private static final MemPageSize SMALL = MemPageSize.parse("hw:mem_page_size", "small");
    private static final MemPageSize LARGE = MemPageSize.parse("hw:mem_page_size", "large");
    private static final MemPageSize ANY = MemPageSize.parse("hw:mem_page_size", "any");

    private static NodeMemory cell(PagePool... pages) {
        return new NodeMemory(1024 * 1024, List.of(pages));
    }

    private static MemPageSize size(String kib) {
        return MemPageSize.parse("hw:mem_page_size", kib);
    }

    @Test
    void test_cell_accepts_request_wipe() {
        NodeMemory host = cell(new PagePool(4, 262144, 262144));
        assertThat(MemoryFit.fit(host, 1024 * 1024, SMALL)).isEqualTo(4);
        assertThat(MemoryFit.fit(host, 1024 * 1024, ANY)).isEqualTo(4);
        assertThat(MemoryFit.fit(host, 1024 * 1024, LARGE)).isEqualTo(MemoryFit.DOES_NOT_FIT);
    }

    @Test
    void test_cell_accepts_request_large_pass() {
        NodeMemory host = cell(new PagePool(4, 256, 256), new PagePool(2048, 512, 512));
        assertThat(MemoryFit.fit(host, 1024 * 1024, LARGE)).isEqualTo(2048);
    }

    @Test
    void test_cell_accepts_request_custom_pass() {
        NodeMemory host = cell(new PagePool(4, 256, 256), new PagePool(2048, 512, 512));
        assertThat(MemoryFit.fit(host, 1024 * 1024, size("2048"))).isEqualTo(2048);
    }

    @Test
    void test_cell_accepts_request_remainder_memory() {
        NodeMemory host = cell(new PagePool(4, 256, 256), new PagePool(2048, 512, 512));
        assertThat(MemoryFit.fit(host, (1024 + 1) * 1024, size("2048"))).isEqualTo(MemoryFit.DOES_NOT_FIT);
    }

    @Test
    void test_cell_accepts_request_host_mempages() {
        // Nova raises MemoryPageSizeNotSupported; numa_fit_instance_to_host reads it as "does not fit".
        NodeMemory host = cell(new PagePool(4, 256, 256), new PagePool(2048, 512, 512));
        assertThat(MemoryFit.fit(host, 1024 * 1024, size("4096"))).isEqualTo(MemoryFit.DOES_NOT_FIT);
    }

    @Test
    void test_can_fit_pagesize() {
        // objects/test_numa.py: 2 MiB pages 513 free; 1 GiB pages 4, one used and one reserved
        NodeMemory host = cell(new PagePool(4, 1548736, 1548736), new PagePool(2048, 513, 513),
                new PagePool(1048576, 4, 2));
        assertThat(MemoryFit.fit(host, 1 << 20, size("2048"))).isEqualTo(2048);
        assertThat(MemoryFit.fit(host, 1 << 21, size("2048"))).isEqualTo(MemoryFit.DOES_NOT_FIT);
        assertThat(MemoryFit.fit(host, (1 << 19) + 1, size("2048"))).isEqualTo(MemoryFit.DOES_NOT_FIT);
        assertThat(MemoryFit.fit(host, 1 << 20, size("1048576"))).isEqualTo(1048576);
        assertThat(MemoryFit.fit(host, 2 << 20, size("1048576"))).isEqualTo(1048576);
        assertThat(MemoryFit.fit(host, 3 << 20, size("1048576"))).isEqualTo(MemoryFit.DOES_NOT_FIT);
        assertThat(MemoryFit.fit(host, 1 << 20, size("12345"))).isEqualTo(MemoryFit.DOES_NOT_FIT);
    }

    @Test
    void largeAndAnyTryTheLargestSizeFirstAndFallBack() {
        NodeMemory host = cell(new PagePool(4, 524288, 524288), new PagePool(2048, 512, 512),
                new PagePool(1048576, 1, 0));
        assertThat(MemoryFit.fit(host, 1024 * 1024, LARGE)).isEqualTo(2048);
        assertThat(MemoryFit.fit(host, 1024 * 1024, ANY)).isEqualTo(2048);
        assertThat(MemoryFit.fit(host, 2 * 1024 * 1024, ANY)).isEqualTo(4);
        assertThat(MemoryFit.fit(host, 2 * 1024 * 1024, LARGE)).isEqualTo(MemoryFit.DOES_NOT_FIT);
    }

    @Test
    void withoutAPageSizeTheBaseMemoryIsCountedFreeOrNot() {
        NodeMemory host = cell(new PagePool(4, 1000, 10), new PagePool(2048, 2, 2));
        assertThat(MemoryFit.fit(host, 4000, null)).isEqualTo(MemoryFit.NO_PAGE_SIZE);
        assertThat(MemoryFit.fit(host, 4004, null)).isEqualTo(MemoryFit.DOES_NOT_FIT);
        assertThat(MemoryFit.fit(null, 4004, null)).isEqualTo(MemoryFit.NO_PAGE_SIZE);
        assertThat(MemoryFit.fit(null, 4004, SMALL)).isEqualTo(MemoryFit.DOES_NOT_FIT);
    }
}
