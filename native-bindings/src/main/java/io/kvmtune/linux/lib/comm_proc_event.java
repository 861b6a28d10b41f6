package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct comm_proc_event} from {@code <linux/cn_proc.h>}: {@code event_data} of
 * {@code PROC_EVENT_COMM}, sent when a thread is renamed ({@code prctl(PR_SET_NAME)}, a write to
 * {@code /proc/<pid>/task/<tid>/comm}, {@code pthread_setname_np}). {@code comm} is NUL-terminated.
 *
 * {@snippet lang=c :
 * struct comm_proc_event {
 *     __kernel_pid_t process_pid;
 *     __kernel_pid_t process_tgid;
 *     char comm[16];      // TASK_COMM_LEN
 * };
 * }
 */
public final class comm_proc_event {

    private comm_proc_event() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("process_pid"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("process_tgid"),
            MemoryLayout.sequenceLayout(16, kvmtune_linux_h.C_CHAR).withName("comm")
    ).withName("comm_proc_event");

    /** The layout of {@code struct comm_proc_event}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct comm_proc_event)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct comm_proc_event} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long process_pid$OFFSET = $LAYOUT.byteOffset(groupElement("process_pid"));

    /** The offset of field {@code process_pid}. */
    public static long process_pid$offset() {
        return process_pid$OFFSET;
    }

    private static final ValueLayout.OfInt process_pid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("process_pid"));

    /** Reads field {@code process_pid}. */
    public static int process_pid(MemorySegment struct) {
        return struct.get(process_pid$LAYOUT, process_pid$OFFSET);
    }

    /** Writes field {@code process_pid}. */
    public static void process_pid(MemorySegment struct, int fieldValue) {
        struct.set(process_pid$LAYOUT, process_pid$OFFSET, fieldValue);
    }

    private static final long process_tgid$OFFSET = $LAYOUT.byteOffset(groupElement("process_tgid"));

    /** The offset of field {@code process_tgid}. */
    public static long process_tgid$offset() {
        return process_tgid$OFFSET;
    }

    private static final ValueLayout.OfInt process_tgid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("process_tgid"));

    /** Reads field {@code process_tgid}. */
    public static int process_tgid(MemorySegment struct) {
        return struct.get(process_tgid$LAYOUT, process_tgid$OFFSET);
    }

    /** Writes field {@code process_tgid}. */
    public static void process_tgid(MemorySegment struct, int fieldValue) {
        struct.set(process_tgid$LAYOUT, process_tgid$OFFSET, fieldValue);
    }

    private static final long comm$OFFSET = $LAYOUT.byteOffset(groupElement("comm"));

    /** The offset of field {@code comm}. */
    public static long comm$offset() {
        return comm$OFFSET;
    }

    /** The bytes of field {@code comm} (a slice of {@code struct}). */
    public static MemorySegment comm(MemorySegment struct) {
        return struct.asSlice(comm$OFFSET, 16);
    }

}
