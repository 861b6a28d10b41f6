package io.kvmtune.core.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory of one host NUMA node, by page size: what Nova's {@code NUMACell.memory} and
 * {@code mempages} hold for it.
 *
 * @param totalKib the node's memory ({@code MemTotal} of {@code nodeN/meminfo})
 * @param pages a pool per page size, smallest (the base page) first; the base pool holds the
 *     memory not set aside as huge pages, as libvirt reports it
 */
public record NodeMemory(long totalKib, List<PagePool> pages) {

    public NodeMemory {
        pages = pages.stream().sorted((a, b) -> Long.compare(a.sizeKib(), b.sizeKib())).toList();
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("a node's memory needs at least its base page pool");
        }
        for (int i = 1; i < pages.size(); i++) {
            if (pages.get(i).sizeKib() == pages.get(i - 1).sizeKib()) {
                throw new IllegalArgumentException("page size " + pages.get(i).sizeKib() + " KiB is listed twice");
            }
        }
    }

    /**
     * A node of {@code totalKib} with base pages of {@code basePageKib} and the given huge page
     * pools: the base pool is what the huge pages leave.
     *
     * @throws IllegalArgumentException when the huge pages hold more than the node's memory
     */
    public static NodeMemory of(long totalKib, long basePageKib, List<PagePool> hugePages) {
        long huge = 0;
        for (PagePool p : hugePages) {
            huge += p.totalKib();
        }
        if (huge > totalKib) {
            throw new IllegalArgumentException("the huge pages hold " + huge + " KiB, more than the node's "
                    + totalKib + " KiB");
        }
        long basePages = (totalKib - huge) / basePageKib;
        List<PagePool> pages = new ArrayList<>(hugePages.size() + 1);
        pages.add(new PagePool(basePageKib, basePages, basePages));
        pages.addAll(hugePages);
        return new NodeMemory(totalKib, pages);
    }

    /** The smallest page size, which libvirt cannot back guest memory with explicitly. */
    public long basePageKib() {
        return pages.getFirst().sizeKib();
    }
}
