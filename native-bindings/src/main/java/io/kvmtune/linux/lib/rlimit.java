package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct rlimit} from {@code <sys/resource.h>}; {@code rlim_t} is 64-bit
 * ({@code RLIM_INFINITY} reads as -1).
 *
 * {@snippet lang=c :
 * struct rlimit {
 *     rlim_t rlim_cur;
 *     rlim_t rlim_max;
 * };
 * }
 */
public final class rlimit {

    private rlimit() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_LONG_LONG.withName("rlim_cur"),
            kvmtune_linux_h.C_LONG_LONG.withName("rlim_max")
    ).withName("rlimit");

    /** The layout of {@code struct rlimit}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rlimit)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct rlimit} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong rlim_cur$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("rlim_cur"));

    /** The layout of field {@code rlim_cur}. */
    public static ValueLayout.OfLong rlim_cur$layout() {
        return rlim_cur$LAYOUT;
    }

    private static final long rlim_cur$OFFSET = $LAYOUT.byteOffset(groupElement("rlim_cur"));

    /** The offset of field {@code rlim_cur}. */
    public static long rlim_cur$offset() {
        return rlim_cur$OFFSET;
    }

    /** Reads field {@code rlim_cur}. */
    public static long rlim_cur(MemorySegment struct) {
        return struct.get(rlim_cur$LAYOUT, rlim_cur$OFFSET);
    }

    /** Writes field {@code rlim_cur}. */
    public static void rlim_cur(MemorySegment struct, long fieldValue) {
        struct.set(rlim_cur$LAYOUT, rlim_cur$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rlim_max$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("rlim_max"));

    /** The layout of field {@code rlim_max}. */
    public static ValueLayout.OfLong rlim_max$layout() {
        return rlim_max$LAYOUT;
    }

    private static final long rlim_max$OFFSET = $LAYOUT.byteOffset(groupElement("rlim_max"));

    /** The offset of field {@code rlim_max}. */
    public static long rlim_max$offset() {
        return rlim_max$OFFSET;
    }

    /** Reads field {@code rlim_max}. */
    public static long rlim_max(MemorySegment struct) {
        return struct.get(rlim_max$LAYOUT, rlim_max$OFFSET);
    }

    /** Writes field {@code rlim_max}. */
    public static void rlim_max(MemorySegment struct, long fieldValue) {
        struct.set(rlim_max$LAYOUT, rlim_max$OFFSET, fieldValue);
    }
}
