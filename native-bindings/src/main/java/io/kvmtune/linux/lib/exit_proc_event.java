package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct exit_proc_event} from {@code <linux/cn_proc.h>}: {@code event_data} of
 * {@code PROC_EVENT_EXIT}, sent for every exiting thread; a process has exited when
 * {@code process_pid == process_tgid}.
 *
 * {@snippet lang=c :
 * struct exit_proc_event {
 *     __kernel_pid_t process_pid;
 *     __kernel_pid_t process_tgid;
 *     __u32 exit_code, exit_signal;
 *     __kernel_pid_t parent_pid;   // since Linux 4.18
 *     __kernel_pid_t parent_tgid;
 * };
 * }
 */
public final class exit_proc_event {

    private exit_proc_event() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("process_pid"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("process_tgid"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("exit_code"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("exit_signal"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("parent_pid"),
            kvmtune_linux_h.C_INT.withByteAlignment(1).withName("parent_tgid")
    ).withName("exit_proc_event");

    /** The layout of {@code struct exit_proc_event}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct exit_proc_event)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct exit_proc_event} from {@code allocator}. */
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

    private static final long exit_code$OFFSET = $LAYOUT.byteOffset(groupElement("exit_code"));

    /** The offset of field {@code exit_code}. */
    public static long exit_code$offset() {
        return exit_code$OFFSET;
    }

    private static final ValueLayout.OfInt exit_code$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("exit_code"));

    /** Reads field {@code exit_code}. */
    public static int exit_code(MemorySegment struct) {
        return struct.get(exit_code$LAYOUT, exit_code$OFFSET);
    }

    /** Writes field {@code exit_code}. */
    public static void exit_code(MemorySegment struct, int fieldValue) {
        struct.set(exit_code$LAYOUT, exit_code$OFFSET, fieldValue);
    }

    private static final long exit_signal$OFFSET = $LAYOUT.byteOffset(groupElement("exit_signal"));

    /** The offset of field {@code exit_signal}. */
    public static long exit_signal$offset() {
        return exit_signal$OFFSET;
    }

    private static final ValueLayout.OfInt exit_signal$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("exit_signal"));

    /** Reads field {@code exit_signal}. */
    public static int exit_signal(MemorySegment struct) {
        return struct.get(exit_signal$LAYOUT, exit_signal$OFFSET);
    }

    /** Writes field {@code exit_signal}. */
    public static void exit_signal(MemorySegment struct, int fieldValue) {
        struct.set(exit_signal$LAYOUT, exit_signal$OFFSET, fieldValue);
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

}
