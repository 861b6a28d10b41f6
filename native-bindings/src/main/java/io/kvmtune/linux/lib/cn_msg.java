package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct cn_msg} from {@code <linux/connector.h>}, with its {@code struct cb_id} flattened
 * into {@code id_idx} and {@code id_val}: the 20-byte connector header that follows the
 * {@code nlmsghdr}, then {@code len} bytes of payload.
 *
 * {@snippet lang=c :
 * struct cb_id { __u32 idx; __u32 val; };
 * struct cn_msg {
 *     struct cb_id id;    // CN_IDX_PROC, CN_VAL_PROC for process events
 *     __u32 seq;
 *     __u32 ack;
 *     __u16 len;          // length of data
 *     __u16 flags;
 *     __u8 data[];
 * };
 * }
 */
public final class cn_msg {

    private cn_msg() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_INT.withName("id_idx"),
            kvmtune_linux_h.C_INT.withName("id_val"),
            kvmtune_linux_h.C_INT.withName("seq"),
            kvmtune_linux_h.C_INT.withName("ack"),
            kvmtune_linux_h.C_SHORT.withName("len"),
            kvmtune_linux_h.C_SHORT.withName("flags")
    ).withName("cn_msg");

    /** The layout of {@code struct cn_msg}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct cn_msg)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct cn_msg} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long id_idx$OFFSET = $LAYOUT.byteOffset(groupElement("id_idx"));

    /** The offset of field {@code id_idx}. */
    public static long id_idx$offset() {
        return id_idx$OFFSET;
    }

    private static final ValueLayout.OfInt id_idx$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("id_idx"));

    /** Reads field {@code id_idx}. */
    public static int id_idx(MemorySegment struct) {
        return struct.get(id_idx$LAYOUT, id_idx$OFFSET);
    }

    /** Writes field {@code id_idx}. */
    public static void id_idx(MemorySegment struct, int fieldValue) {
        struct.set(id_idx$LAYOUT, id_idx$OFFSET, fieldValue);
    }

    private static final long id_val$OFFSET = $LAYOUT.byteOffset(groupElement("id_val"));

    /** The offset of field {@code id_val}. */
    public static long id_val$offset() {
        return id_val$OFFSET;
    }

    private static final ValueLayout.OfInt id_val$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("id_val"));

    /** Reads field {@code id_val}. */
    public static int id_val(MemorySegment struct) {
        return struct.get(id_val$LAYOUT, id_val$OFFSET);
    }

    /** Writes field {@code id_val}. */
    public static void id_val(MemorySegment struct, int fieldValue) {
        struct.set(id_val$LAYOUT, id_val$OFFSET, fieldValue);
    }

    private static final long seq$OFFSET = $LAYOUT.byteOffset(groupElement("seq"));

    /** The offset of field {@code seq}. */
    public static long seq$offset() {
        return seq$OFFSET;
    }

    private static final ValueLayout.OfInt seq$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("seq"));

    /** Reads field {@code seq}. */
    public static int seq(MemorySegment struct) {
        return struct.get(seq$LAYOUT, seq$OFFSET);
    }

    /** Writes field {@code seq}. */
    public static void seq(MemorySegment struct, int fieldValue) {
        struct.set(seq$LAYOUT, seq$OFFSET, fieldValue);
    }

    private static final long ack$OFFSET = $LAYOUT.byteOffset(groupElement("ack"));

    /** The offset of field {@code ack}. */
    public static long ack$offset() {
        return ack$OFFSET;
    }

    private static final ValueLayout.OfInt ack$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("ack"));

    /** Reads field {@code ack}. */
    public static int ack(MemorySegment struct) {
        return struct.get(ack$LAYOUT, ack$OFFSET);
    }

    /** Writes field {@code ack}. */
    public static void ack(MemorySegment struct, int fieldValue) {
        struct.set(ack$LAYOUT, ack$OFFSET, fieldValue);
    }

    private static final long len$OFFSET = $LAYOUT.byteOffset(groupElement("len"));

    /** The offset of field {@code len}. */
    public static long len$offset() {
        return len$OFFSET;
    }

    private static final ValueLayout.OfShort len$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("len"));

    /** Reads field {@code len}. */
    public static short len(MemorySegment struct) {
        return struct.get(len$LAYOUT, len$OFFSET);
    }

    /** Writes field {@code len}. */
    public static void len(MemorySegment struct, short fieldValue) {
        struct.set(len$LAYOUT, len$OFFSET, fieldValue);
    }

    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    /** The offset of field {@code flags}. */
    public static long flags$offset() {
        return flags$OFFSET;
    }

    private static final ValueLayout.OfShort flags$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("flags"));

    /** Reads field {@code flags}. */
    public static short flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /** Writes field {@code flags}. */
    public static void flags(MemorySegment struct, short fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

}
