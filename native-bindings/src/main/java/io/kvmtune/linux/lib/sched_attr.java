package io.kvmtune.linux.lib;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct sched_attr} from {@code <linux/sched/types.h>}, the full 56-byte
 * {@code SCHED_ATTR_SIZE_VER1} layout with the utilization clamps. Every field falls on its
 * natural alignment, so the layout needs no padding. Unsigned C fields read as Java's signed
 * types of the same width.
 *
 * {@snippet lang=c :
 * struct sched_attr {
 *     __u32 size;
 *     __u32 sched_policy;
 *     __u64 sched_flags;
 *     __s32 sched_nice;
 *     __u32 sched_priority;
 *     __u64 sched_runtime;
 *     __u64 sched_deadline;
 *     __u64 sched_period;
 *     __u32 sched_util_min;
 *     __u32 sched_util_max;
 * };
 * }
 */
public final class sched_attr {

    private sched_attr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            kvmtune_linux_h.C_INT.withName("size"),
            kvmtune_linux_h.C_INT.withName("sched_policy"),
            kvmtune_linux_h.C_LONG_LONG.withName("sched_flags"),
            kvmtune_linux_h.C_INT.withName("sched_nice"),
            kvmtune_linux_h.C_INT.withName("sched_priority"),
            kvmtune_linux_h.C_LONG_LONG.withName("sched_runtime"),
            kvmtune_linux_h.C_LONG_LONG.withName("sched_deadline"),
            kvmtune_linux_h.C_LONG_LONG.withName("sched_period"),
            kvmtune_linux_h.C_INT.withName("sched_util_min"),
            kvmtune_linux_h.C_INT.withName("sched_util_max")
    ).withName("sched_attr");

    /** The layout of {@code struct sched_attr}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sched_attr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** A zeroed {@code struct sched_attr} from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("size"));

    /** The layout of field {@code size}. */
    public static ValueLayout.OfInt size$layout() {
        return size$LAYOUT;
    }

    private static final long size$OFFSET = $LAYOUT.byteOffset(groupElement("size"));

    /** The offset of field {@code size}. */
    public static long size$offset() {
        return size$OFFSET;
    }

    /** Reads field {@code size}. */
    public static int size(MemorySegment struct) {
        return struct.get(size$LAYOUT, size$OFFSET);
    }

    /** Writes field {@code size}. */
    public static void size(MemorySegment struct, int fieldValue) {
        struct.set(size$LAYOUT, size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sched_policy$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sched_policy"));

    /** The layout of field {@code sched_policy}. */
    public static ValueLayout.OfInt sched_policy$layout() {
        return sched_policy$LAYOUT;
    }

    private static final long sched_policy$OFFSET = $LAYOUT.byteOffset(groupElement("sched_policy"));

    /** The offset of field {@code sched_policy}. */
    public static long sched_policy$offset() {
        return sched_policy$OFFSET;
    }

    /** Reads field {@code sched_policy}. */
    public static int sched_policy(MemorySegment struct) {
        return struct.get(sched_policy$LAYOUT, sched_policy$OFFSET);
    }

    /** Writes field {@code sched_policy}. */
    public static void sched_policy(MemorySegment struct, int fieldValue) {
        struct.set(sched_policy$LAYOUT, sched_policy$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong sched_flags$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("sched_flags"));

    /** The layout of field {@code sched_flags}. */
    public static ValueLayout.OfLong sched_flags$layout() {
        return sched_flags$LAYOUT;
    }

    private static final long sched_flags$OFFSET = $LAYOUT.byteOffset(groupElement("sched_flags"));

    /** The offset of field {@code sched_flags}. */
    public static long sched_flags$offset() {
        return sched_flags$OFFSET;
    }

    /** Reads field {@code sched_flags}. */
    public static long sched_flags(MemorySegment struct) {
        return struct.get(sched_flags$LAYOUT, sched_flags$OFFSET);
    }

    /** Writes field {@code sched_flags}. */
    public static void sched_flags(MemorySegment struct, long fieldValue) {
        struct.set(sched_flags$LAYOUT, sched_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sched_nice$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sched_nice"));

    /** The layout of field {@code sched_nice}. */
    public static ValueLayout.OfInt sched_nice$layout() {
        return sched_nice$LAYOUT;
    }

    private static final long sched_nice$OFFSET = $LAYOUT.byteOffset(groupElement("sched_nice"));

    /** The offset of field {@code sched_nice}. */
    public static long sched_nice$offset() {
        return sched_nice$OFFSET;
    }

    /** Reads field {@code sched_nice}. */
    public static int sched_nice(MemorySegment struct) {
        return struct.get(sched_nice$LAYOUT, sched_nice$OFFSET);
    }

    /** Writes field {@code sched_nice}. */
    public static void sched_nice(MemorySegment struct, int fieldValue) {
        struct.set(sched_nice$LAYOUT, sched_nice$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sched_priority$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sched_priority"));

    /** The layout of field {@code sched_priority}. */
    public static ValueLayout.OfInt sched_priority$layout() {
        return sched_priority$LAYOUT;
    }

    private static final long sched_priority$OFFSET = $LAYOUT.byteOffset(groupElement("sched_priority"));

    /** The offset of field {@code sched_priority}. */
    public static long sched_priority$offset() {
        return sched_priority$OFFSET;
    }

    /** Reads field {@code sched_priority}. */
    public static int sched_priority(MemorySegment struct) {
        return struct.get(sched_priority$LAYOUT, sched_priority$OFFSET);
    }

    /** Writes field {@code sched_priority}. */
    public static void sched_priority(MemorySegment struct, int fieldValue) {
        struct.set(sched_priority$LAYOUT, sched_priority$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong sched_runtime$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("sched_runtime"));

    /** The layout of field {@code sched_runtime}. */
    public static ValueLayout.OfLong sched_runtime$layout() {
        return sched_runtime$LAYOUT;
    }

    private static final long sched_runtime$OFFSET = $LAYOUT.byteOffset(groupElement("sched_runtime"));

    /** The offset of field {@code sched_runtime}. */
    public static long sched_runtime$offset() {
        return sched_runtime$OFFSET;
    }

    /** Reads field {@code sched_runtime}. */
    public static long sched_runtime(MemorySegment struct) {
        return struct.get(sched_runtime$LAYOUT, sched_runtime$OFFSET);
    }

    /** Writes field {@code sched_runtime}. */
    public static void sched_runtime(MemorySegment struct, long fieldValue) {
        struct.set(sched_runtime$LAYOUT, sched_runtime$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong sched_deadline$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("sched_deadline"));

    /** The layout of field {@code sched_deadline}. */
    public static ValueLayout.OfLong sched_deadline$layout() {
        return sched_deadline$LAYOUT;
    }

    private static final long sched_deadline$OFFSET = $LAYOUT.byteOffset(groupElement("sched_deadline"));

    /** The offset of field {@code sched_deadline}. */
    public static long sched_deadline$offset() {
        return sched_deadline$OFFSET;
    }

    /** Reads field {@code sched_deadline}. */
    public static long sched_deadline(MemorySegment struct) {
        return struct.get(sched_deadline$LAYOUT, sched_deadline$OFFSET);
    }

    /** Writes field {@code sched_deadline}. */
    public static void sched_deadline(MemorySegment struct, long fieldValue) {
        struct.set(sched_deadline$LAYOUT, sched_deadline$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong sched_period$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("sched_period"));

    /** The layout of field {@code sched_period}. */
    public static ValueLayout.OfLong sched_period$layout() {
        return sched_period$LAYOUT;
    }

    private static final long sched_period$OFFSET = $LAYOUT.byteOffset(groupElement("sched_period"));

    /** The offset of field {@code sched_period}. */
    public static long sched_period$offset() {
        return sched_period$OFFSET;
    }

    /** Reads field {@code sched_period}. */
    public static long sched_period(MemorySegment struct) {
        return struct.get(sched_period$LAYOUT, sched_period$OFFSET);
    }

    /** Writes field {@code sched_period}. */
    public static void sched_period(MemorySegment struct, long fieldValue) {
        struct.set(sched_period$LAYOUT, sched_period$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sched_util_min$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sched_util_min"));

    /** The layout of field {@code sched_util_min}. */
    public static ValueLayout.OfInt sched_util_min$layout() {
        return sched_util_min$LAYOUT;
    }

    private static final long sched_util_min$OFFSET = $LAYOUT.byteOffset(groupElement("sched_util_min"));

    /** The offset of field {@code sched_util_min}. */
    public static long sched_util_min$offset() {
        return sched_util_min$OFFSET;
    }

    /** Reads field {@code sched_util_min}. */
    public static int sched_util_min(MemorySegment struct) {
        return struct.get(sched_util_min$LAYOUT, sched_util_min$OFFSET);
    }

    /** Writes field {@code sched_util_min}. */
    public static void sched_util_min(MemorySegment struct, int fieldValue) {
        struct.set(sched_util_min$LAYOUT, sched_util_min$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sched_util_max$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sched_util_max"));

    /** The layout of field {@code sched_util_max}. */
    public static ValueLayout.OfInt sched_util_max$layout() {
        return sched_util_max$LAYOUT;
    }

    private static final long sched_util_max$OFFSET = $LAYOUT.byteOffset(groupElement("sched_util_max"));

    /** The offset of field {@code sched_util_max}. */
    public static long sched_util_max$offset() {
        return sched_util_max$OFFSET;
    }

    /** Reads field {@code sched_util_max}. */
    public static int sched_util_max(MemorySegment struct) {
        return struct.get(sched_util_max$LAYOUT, sched_util_max$OFFSET);
    }

    /** Writes field {@code sched_util_max}. */
    public static void sched_util_max(MemorySegment struct, int fieldValue) {
        struct.set(sched_util_max$LAYOUT, sched_util_max$OFFSET, fieldValue);
    }
}
