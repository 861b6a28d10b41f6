package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct timespec} from {@code <time.h>} on LP64 Linux (x86_64, aarch64).
 *
 * {@snippet lang=c :
 * struct timespec {
 *     time_t tv_sec;
 *     long tv_nsec;
 * };
 * }
 */
public final class timespec {

    private timespec() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_LONG_LONG.withName("tv_sec"),
            kvmtune_linux_h.C_LONG_LONG.withName("tv_nsec")
    ).withName("timespec");

    /** The layout of {@code struct timespec}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct timespec)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct timespec} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong tv_sec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("tv_sec"));

    /** The layout of field {@code tv_sec}. */
    public static ValueLayout.OfLong tv_sec$layout() {
        return tv_sec$LAYOUT;
    }

    private static final long tv_sec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_sec"));

    /** The offset of field {@code tv_sec}. */
    public static long tv_sec$offset() {
        return tv_sec$OFFSET;
    }

    /** Reads field {@code tv_sec}. */
    public static long tv_sec(MemorySegment struct) {
        return struct.get(tv_sec$LAYOUT, tv_sec$OFFSET);
    }

    /** Writes field {@code tv_sec}. */
    public static void tv_sec(MemorySegment struct, long fieldValue) {
        struct.set(tv_sec$LAYOUT, tv_sec$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong tv_nsec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("tv_nsec"));

    /** The layout of field {@code tv_nsec}. */
    public static ValueLayout.OfLong tv_nsec$layout() {
        return tv_nsec$LAYOUT;
    }

    private static final long tv_nsec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_nsec"));

    /** The offset of field {@code tv_nsec}. */
    public static long tv_nsec$offset() {
        return tv_nsec$OFFSET;
    }

    /** Reads field {@code tv_nsec}. */
    public static long tv_nsec(MemorySegment struct) {
        return struct.get(tv_nsec$LAYOUT, tv_nsec$OFFSET);
    }

    /** Writes field {@code tv_nsec}. */
    public static void tv_nsec(MemorySegment struct, long fieldValue) {
        struct.set(tv_nsec$LAYOUT, tv_nsec$OFFSET, fieldValue);
    }
}
