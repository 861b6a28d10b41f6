package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct sockaddr_nl} from {@code <linux/netlink.h>}: a netlink socket address, 12 bytes.
 * {@code nl_groups} is the bit mask of multicast groups to join at {@code bind}.
 *
 * {@snippet lang=c :
 * struct sockaddr_nl {
 *     __kernel_sa_family_t nl_family;  // AF_NETLINK
 *     unsigned short nl_pad;           // zero
 *     __u32 nl_pid;                    // port id, 0 lets the kernel choose
 *     __u32 nl_groups;                 // multicast groups mask
 * };
 * }
 */
public final class sockaddr_nl {

    private sockaddr_nl() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_SHORT.withName("nl_family"),
            kvmtune_linux_h.C_SHORT.withName("nl_pad"),
            kvmtune_linux_h.C_INT.withName("nl_pid"),
            kvmtune_linux_h.C_INT.withName("nl_groups")
    ).withName("sockaddr_nl");

    /** The layout of {@code struct sockaddr_nl}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_nl)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct sockaddr_nl} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long nl_family$OFFSET = $LAYOUT.byteOffset(groupElement("nl_family"));

    /** The offset of field {@code nl_family}. */
    public static long nl_family$offset() {
        return nl_family$OFFSET;
    }

    private static final ValueLayout.OfShort nl_family$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("nl_family"));

    /** Reads field {@code nl_family}. */
    public static short nl_family(MemorySegment struct) {
        return struct.get(nl_family$LAYOUT, nl_family$OFFSET);
    }

    /** Writes field {@code nl_family}. */
    public static void nl_family(MemorySegment struct, short fieldValue) {
        struct.set(nl_family$LAYOUT, nl_family$OFFSET, fieldValue);
    }

    private static final long nl_pad$OFFSET = $LAYOUT.byteOffset(groupElement("nl_pad"));

    /** The offset of field {@code nl_pad}. */
    public static long nl_pad$offset() {
        return nl_pad$OFFSET;
    }

    private static final ValueLayout.OfShort nl_pad$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("nl_pad"));

    /** Reads field {@code nl_pad}. */
    public static short nl_pad(MemorySegment struct) {
        return struct.get(nl_pad$LAYOUT, nl_pad$OFFSET);
    }

    /** Writes field {@code nl_pad}. */
    public static void nl_pad(MemorySegment struct, short fieldValue) {
        struct.set(nl_pad$LAYOUT, nl_pad$OFFSET, fieldValue);
    }

    private static final long nl_pid$OFFSET = $LAYOUT.byteOffset(groupElement("nl_pid"));

    /** The offset of field {@code nl_pid}. */
    public static long nl_pid$offset() {
        return nl_pid$OFFSET;
    }

    private static final ValueLayout.OfInt nl_pid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("nl_pid"));

    /** Reads field {@code nl_pid}. */
    public static int nl_pid(MemorySegment struct) {
        return struct.get(nl_pid$LAYOUT, nl_pid$OFFSET);
    }

    /** Writes field {@code nl_pid}. */
    public static void nl_pid(MemorySegment struct, int fieldValue) {
        struct.set(nl_pid$LAYOUT, nl_pid$OFFSET, fieldValue);
    }

    private static final long nl_groups$OFFSET = $LAYOUT.byteOffset(groupElement("nl_groups"));

    /** The offset of field {@code nl_groups}. */
    public static long nl_groups$offset() {
        return nl_groups$OFFSET;
    }

    private static final ValueLayout.OfInt nl_groups$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("nl_groups"));

    /** Reads field {@code nl_groups}. */
    public static int nl_groups(MemorySegment struct) {
        return struct.get(nl_groups$LAYOUT, nl_groups$OFFSET);
    }

    /** Writes field {@code nl_groups}. */
    public static void nl_groups(MemorySegment struct, int fieldValue) {
        struct.set(nl_groups$LAYOUT, nl_groups$OFFSET, fieldValue);
    }

}
