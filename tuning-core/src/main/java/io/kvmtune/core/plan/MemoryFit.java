package io.kvmtune.core.plan;

import io.kvmtune.core.spec.MemPageSize;
import io.kvmtune.core.topology.NodeMemory;
import io.kvmtune.core.topology.PagePool;

/**
 * The memory half of Nova's {@code _numa_fit_instance_cell}: whether one guest NUMA node's
 * memory fits one host node, and in which page size.
 *
 * <p>With a page size request ({@code _numa_cell_supports_pagesize_request}) the candidate sizes
 * are tried largest first: {@code small} only the base page, {@code large} every size but the
 * base page, {@code any} every size, a size only itself (a host node without it does not fit:
 * Nova's {@code MemoryPageSizeNotSupported}). A size fits when the node has that much memory free
 * in it and the guest node's memory is a whole number of its pages. Without a request, the guest
 * node must fit the node's base-page memory, free or not (ordinary memory may be overcommitted).
 */
final class MemoryFit {

    /** The guest node fits, in base pages or without any check. */
    static final long NO_PAGE_SIZE = 0;
    /** The guest node does not fit. */
    static final long DOES_NOT_FIT = -1;

    private MemoryFit() {
    }

    /**
     * @param node the host node's memory, or null when not known
     * @param cellKib the guest node's memory in KiB, or -1 when not known
     * @param request the page size request, or null
     * @return the page size chosen in KiB, {@link #NO_PAGE_SIZE} when none was asked and the
     *     memory fits, or when the guest's memory is not known (nothing is checked then),
     *     {@link #DOES_NOT_FIT}
     */
    static long fit(NodeMemory node, long cellKib, MemPageSize request) {
        if (cellKib < 0) {
            return NO_PAGE_SIZE;
        }
        if (request == null) {
            if (node == null) {
                return NO_PAGE_SIZE;
            }
            PagePool base = node.pages().getFirst();
            return cellKib <= base.totalKib() && cellKib % base.sizeKib() == 0 ? NO_PAGE_SIZE : DOES_NOT_FIT;
        }
        if (node == null) {
            return DOES_NOT_FIT;
        }
        var pages = node.pages();
        int smallest = 0;
        int largest = pages.size() - 1;
        switch (request.kind()) {
            case SMALL -> largest = 0;
            case LARGE -> smallest = 1;
            case ANY -> {
                // every size
            }
            case SIZE -> {
                for (PagePool p : pages) {
                    if (p.sizeKib() == request.kib()) {
                        return fits(p, cellKib) ? p.sizeKib() : DOES_NOT_FIT;
                    }
                }
                return DOES_NOT_FIT;
            }
        }
        for (int i = largest; i >= smallest; i--) {
            if (fits(pages.get(i), cellKib)) {
                return pages.get(i).sizeKib();
            }
        }
        return DOES_NOT_FIT;
    }

    private static boolean fits(PagePool pool, long cellKib) {
        return cellKib <= pool.freeKib() && cellKib % pool.sizeKib() == 0;
    }
}
