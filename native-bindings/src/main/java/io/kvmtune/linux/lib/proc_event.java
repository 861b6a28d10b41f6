package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * The header of {@code struct proc_event} from {@code <linux/cn_proc.h>}: what happened, on which
 * CPU, when ({@code CLOCK_MONOTONIC}, {@code ktime_get_ns}), then {@code event_data}, a union
 * read through {@link fork_proc_event}, {@link exec_proc_event}, {@link comm_proc_event} and
 * {@link exit_proc_event} at {@link #event_data$offset()}.
 *
 * <p>The layout is unaligned: in a datagram the event starts at byte 36 ({@code NLMSG_HDRLEN}
 * plus {@code sizeof(struct cn_msg)}), so its 8-byte timestamp never sits on an 8-byte boundary.
 *
 * {@snippet lang=c :
 * struct proc_event {
 *     enum what what;                                  // PROC_EVENT_*
 *     __u32 cpu;
 *     __u64 __attribute__((aligned(8))) timestamp_ns;  // ktime_get_ns()
 *     union { ... } event_data;                        // at offset 16
 * };
 * }
 */
public final class proc_event {

    private proc_event() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("what"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("cpu"),
            kvmtune_linux_h.C_LONG_LONG.withByteAlignment(1).withName("timestamp_ns"),
            MemoryLayout.sequenceLayout(24, kvmtune_linux_h.C_CHAR).withName("event_data")
    ).withName("proc_event");

    /** The layout of {@code struct proc_event}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct proc_event)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct proc_event} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long what$OFFSET = $LAYOUT.byteOffset(groupElement("what"));

    /** The offset of field {@code what}. */
    public static long what$offset() {
        return what$OFFSET;
    }

    private static final ValueLayout.OfInt what$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("what"));

    /** Reads field {@code what}. */
    public static int what(MemorySegment struct) {
        return struct.get(what$LAYOUT, what$OFFSET);
    }

    /** Writes field {@code what}. */
    public static void what(MemorySegment struct, int fieldValue) {
        struct.set(what$LAYOUT, what$OFFSET, fieldValue);
    }

    private static final long cpu$OFFSET = $LAYOUT.byteOffset(groupElement("cpu"));

    /** The offset of field {@code cpu}. */
    public static long cpu$offset() {
        return cpu$OFFSET;
    }

    private static final ValueLayout.OfInt cpu$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("cpu"));

    /** Reads field {@code cpu}. */
    public static int cpu(MemorySegment struct) {
        return struct.get(cpu$LAYOUT, cpu$OFFSET);
    }

    /** Writes field {@code cpu}. */
    public static void cpu(MemorySegment struct, int fieldValue) {
        struct.set(cpu$LAYOUT, cpu$OFFSET, fieldValue);
    }

    private static final long timestamp_ns$OFFSET = $LAYOUT.byteOffset(groupElement("timestamp_ns"));

    /** The offset of field {@code timestamp_ns}. */
    public static long timestamp_ns$offset() {
        return timestamp_ns$OFFSET;
    }

    private static final ValueLayout.OfLong timestamp_ns$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("timestamp_ns"));

    /** Reads field {@code timestamp_ns}. */
    public static long timestamp_ns(MemorySegment struct) {
        return struct.get(timestamp_ns$LAYOUT, timestamp_ns$OFFSET);
    }

    /** Writes field {@code timestamp_ns}. */
    public static void timestamp_ns(MemorySegment struct, long fieldValue) {
        struct.set(timestamp_ns$LAYOUT, timestamp_ns$OFFSET, fieldValue);
    }

    private static final long event_data$OFFSET = $LAYOUT.byteOffset(groupElement("event_data"));

    /** The offset of field {@code event_data}. */
    public static long event_data$offset() {
        return event_data$OFFSET;
    }

    /** The bytes of field {@code event_data} (a slice of {@code struct}). */
    public static MemorySegment event_data(MemorySegment struct) {
        return struct.asSlice(event_data$OFFSET, 24);
    }

}
