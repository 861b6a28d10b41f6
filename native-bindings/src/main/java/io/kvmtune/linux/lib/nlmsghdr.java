package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct nlmsghdr} from {@code <linux/netlink.h>}: the 16-byte header of every netlink
 * message ({@code NLMSG_HDRLEN}). Messages in one datagram follow each other at
 * {@code NLMSG_ALIGN(nlmsg_len)}, a multiple of 4.
 *
 * {@snippet lang=c :
 * struct nlmsghdr {
 *     __u32 nlmsg_len;    // length of the message, header included
 *     __u16 nlmsg_type;   // NLMSG_DONE for the connector's messages
 *     __u16 nlmsg_flags;
 *     __u32 nlmsg_seq;
 *     __u32 nlmsg_pid;    // sending port id
 * };
 * }
 */
public final class nlmsghdr {

    private nlmsghdr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_INT.withName("nlmsg_len"),
            kvmtune_linux_h.C_SHORT.withName("nlmsg_type"),
            kvmtune_linux_h.C_SHORT.withName("nlmsg_flags"),
            kvmtune_linux_h.C_INT.withName("nlmsg_seq"),
            kvmtune_linux_h.C_INT.withName("nlmsg_pid")
    ).withName("nlmsghdr");

    /** The layout of {@code struct nlmsghdr}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct nlmsghdr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct nlmsghdr} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long nlmsg_len$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_len"));

    /** The offset of field {@code nlmsg_len}. */
    public static long nlmsg_len$offset() {
        return nlmsg_len$OFFSET;
    }

    private static final ValueLayout.OfInt nlmsg_len$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("nlmsg_len"));

    /** Reads field {@code nlmsg_len}. */
    public static int nlmsg_len(MemorySegment struct) {
        return struct.get(nlmsg_len$LAYOUT, nlmsg_len$OFFSET);
    }

    /** Writes field {@code nlmsg_len}. */
    public static void nlmsg_len(MemorySegment struct, int fieldValue) {
        struct.set(nlmsg_len$LAYOUT, nlmsg_len$OFFSET, fieldValue);
    }

    private static final long nlmsg_type$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_type"));

    /** The offset of field {@code nlmsg_type}. */
    public static long nlmsg_type$offset() {
        return nlmsg_type$OFFSET;
    }

    private static final ValueLayout.OfShort nlmsg_type$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("nlmsg_type"));

    /** Reads field {@code nlmsg_type}. */
    public static short nlmsg_type(MemorySegment struct) {
        return struct.get(nlmsg_type$LAYOUT, nlmsg_type$OFFSET);
    }

    /** Writes field {@code nlmsg_type}. */
    public static void nlmsg_type(MemorySegment struct, short fieldValue) {
        struct.set(nlmsg_type$LAYOUT, nlmsg_type$OFFSET, fieldValue);
    }

    private static final long nlmsg_flags$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_flags"));

    /** The offset of field {@code nlmsg_flags}. */
    public static long nlmsg_flags$offset() {
        return nlmsg_flags$OFFSET;
    }

    private static final ValueLayout.OfShort nlmsg_flags$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("nlmsg_flags"));

    /** Reads field {@code nlmsg_flags}. */
    public static short nlmsg_flags(MemorySegment struct) {
        return struct.get(nlmsg_flags$LAYOUT, nlmsg_flags$OFFSET);
    }

    /** Writes field {@code nlmsg_flags}. */
    public static void nlmsg_flags(MemorySegment struct, short fieldValue) {
        struct.set(nlmsg_flags$LAYOUT, nlmsg_flags$OFFSET, fieldValue);
    }

    private static final long nlmsg_seq$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_seq"));

    /** The offset of field {@code nlmsg_seq}. */
    public static long nlmsg_seq$offset() {
        return nlmsg_seq$OFFSET;
    }

    private static final ValueLayout.OfInt nlmsg_seq$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("nlmsg_seq"));

    /** Reads field {@code nlmsg_seq}. */
    public static int nlmsg_seq(MemorySegment struct) {
        return struct.get(nlmsg_seq$LAYOUT, nlmsg_seq$OFFSET);
    }

    /** Writes field {@code nlmsg_seq}. */
    public static void nlmsg_seq(MemorySegment struct, int fieldValue) {
        struct.set(nlmsg_seq$LAYOUT, nlmsg_seq$OFFSET, fieldValue);
    }

    private static final long nlmsg_pid$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_pid"));

    /** The offset of field {@code nlmsg_pid}. */
    public static long nlmsg_pid$offset() {
        return nlmsg_pid$OFFSET;
    }

    private static final ValueLayout.OfInt nlmsg_pid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("nlmsg_pid"));

    /** Reads field {@code nlmsg_pid}. */
    public static int nlmsg_pid(MemorySegment struct) {
        return struct.get(nlmsg_pid$LAYOUT, nlmsg_pid$OFFSET);
    }

    /** Writes field {@code nlmsg_pid}. */
    public static void nlmsg_pid(MemorySegment struct, int fieldValue) {
        struct.set(nlmsg_pid$LAYOUT, nlmsg_pid$OFFSET, fieldValue);
    }

}
