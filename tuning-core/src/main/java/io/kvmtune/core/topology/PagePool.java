package io.kvmtune.core.topology;

/**
 * The pages of one size on one host NUMA node, as libvirt's capabilities and Nova's
 * {@code NUMAPagesTopology} count them.
 *
 * @param sizeKib the page size in KiB
 * @param total the pages of this size the node has
 * @param free the pages a new guest may take: the kernel's {@code free_hugepages} for huge pages;
 *     for the base pages, {@code total} (kvmtune keeps no account of other guests' ordinary memory)
 */
public record PagePool(long sizeKib, long total, long free) {

    public PagePool {
        if (sizeKib < 1 || total < 0 || free < 0 || free > total) {
            throw new IllegalArgumentException("a page pool needs a positive size and 0 <= free <= total, not "
                    + sizeKib + " KiB, " + free + " of " + total + " free");
        }
    }

    /** The free memory in these pages, in KiB. */
    public long freeKib() {
        return free * sizeKib;
    }

    /** All memory in these pages, in KiB. */
    public long totalKib() {
        return total * sizeKib;
    }
}
