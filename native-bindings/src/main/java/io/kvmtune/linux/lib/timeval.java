package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct timeval} from {@code <sys/time.h>}, 16 bytes on LP64: the receive timeout given to
 * {@code setsockopt(SO_RCVTIMEO)}.
 *
 * {@snippet lang=c :
 * struct timeval { time_t tv_sec; suseconds_t tv_usec; };
 * }
 */
public final class timeval {

    private timeval() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_LONG_LONG.withName("tv_sec"),
            kvmtune_linux_h.C_LONG_LONG.withName("tv_usec")
    ).withName("timeval");

    /** The layout of {@code struct timeval}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct timeval)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct timeval} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long tv_sec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_sec"));

    /** The offset of field {@code tv_sec}. */
    public static long tv_sec$offset() {
        return tv_sec$OFFSET;
    }

    private static final ValueLayout.OfLong tv_sec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("tv_sec"));

    /** Reads field {@code tv_sec}. */
    public static long tv_sec(MemorySegment struct) {
        return struct.get(tv_sec$LAYOUT, tv_sec$OFFSET);
    }

    /** Writes field {@code tv_sec}. */
    public static void tv_sec(MemorySegment struct, long fieldValue) {
        struct.set(tv_sec$LAYOUT, tv_sec$OFFSET, fieldValue);
    }

    private static final long tv_usec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_usec"));

    /** The offset of field {@code tv_usec}. */
    public static long tv_usec$offset() {
        return tv_usec$OFFSET;
    }

    private static final ValueLayout.OfLong tv_usec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("tv_usec"));

    /** Reads field {@code tv_usec}. */
    public static long tv_usec(MemorySegment struct) {
        return struct.get(tv_usec$LAYOUT, tv_usec$OFFSET);
    }

    /** Writes field {@code tv_usec}. */
    public static void tv_usec(MemorySegment struct, long fieldValue) {
        struct.set(tv_usec$LAYOUT, tv_usec$OFFSET, fieldValue);
    }

}
