package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct fork_proc_event} from {@code <linux/cn_proc.h>}: {@code event_data} of
 * {@code PROC_EVENT_FORK}. A new thread has {@code child_pid != child_tgid}.
 *
 * {@snippet lang=c :
 * struct fork_proc_event {
 *     __kernel_pid_t parent_pid;
 *     __kernel_pid_t parent_tgid;
 *     __kernel_pid_t child_pid;
 *     __kernel_pid_t child_tgid;
 * };
 * }
 */
public final class fork_proc_event {

    private fork_proc_event() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("parent_pid"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("parent_tgid"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("child_pid"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("child_tgid")
    ).withName("fork_proc_event");

    /** The layout of {@code struct fork_proc_event}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct fork_proc_event)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct fork_proc_event} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long parent_pid$OFFSET = $LAYOUT.byteOffset(groupElement("parent_pid"));

    /** The offset of field {@code parent_pid}. */
    public static long parent_pid$offset() {
        return parent_pid$OFFSET;
    }

    private static final ValueLayout.OfInt parent_pid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("parent_pid"));

    /** Reads field {@code parent_pid}. */
    public static int parent_pid(MemorySegment struct) {
        return struct.get(parent_pid$LAYOUT, parent_pid$OFFSET);
    }

    /** Writes field {@code parent_pid}. */
    public static void parent_pid(MemorySegment struct, int fieldValue) {
        struct.set(parent_pid$LAYOUT, parent_pid$OFFSET, fieldValue);
    }

    private static final long parent_tgid$OFFSET = $LAYOUT.byteOffset(groupElement("parent_tgid"));

    /** The offset of field {@code parent_tgid}. */
    public static long parent_tgid$offset() {
        return parent_tgid$OFFSET;
    }

    private static final ValueLayout.OfInt parent_tgid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("parent_tgid"));

    /** Reads field {@code parent_tgid}. */
    public static int parent_tgid(MemorySegment struct) {
        return struct.get(parent_tgid$LAYOUT, parent_tgid$OFFSET);
    }

    /** Writes field {@code parent_tgid}. */
    public static void parent_tgid(MemorySegment struct, int fieldValue) {
        struct.set(parent_tgid$LAYOUT, parent_tgid$OFFSET, fieldValue);
    }

    private static final long child_pid$OFFSET = $LAYOUT.byteOffset(groupElement("child_pid"));

    /** The offset of field {@code child_pid}. */
    public static long child_pid$offset() {
        return child_pid$OFFSET;
    }

    private static final ValueLayout.OfInt child_pid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("child_pid"));

    /** Reads field {@code child_pid}. */
    public static int child_pid(MemorySegment struct) {
        return struct.get(child_pid$LAYOUT, child_pid$OFFSET);
    }

    /** Writes field {@code child_pid}. */
    public static void child_pid(MemorySegment struct, int fieldValue) {
        struct.set(child_pid$LAYOUT, child_pid$OFFSET, fieldValue);
    }

    private static final long child_tgid$OFFSET = $LAYOUT.byteOffset(groupElement("child_tgid"));

    /** The offset of field {@code child_tgid}. */
    public static long child_tgid$offset() {
        return child_tgid$OFFSET;
    }

    private static final ValueLayout.OfInt child_tgid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("child_tgid"));

    /** Reads field {@code child_tgid}. */
    public static int child_tgid(MemorySegment struct) {
        return struct.get(child_tgid$LAYOUT, child_tgid$OFFSET);
    }

    /** Writes field {@code child_tgid}. */
    public static void child_tgid(MemorySegment struct, int fieldValue) {
        struct.set(child_tgid$LAYOUT, child_tgid$OFFSET, fieldValue);
    }

}
