package io.kvmtune.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The kernel's CPU mask ({@code cpu_set_t} of any size): an array of {@code unsigned long} in
 * which CPU {@code n} is bit {@code n % 64} of word {@code n / 64}, exactly what
 * {@link BitSet#toLongArray()} produces when the words are stored in native byte order.
 */
final class CpuMask {

    private CpuMask() {
    }

    /** Where Linux lists the CPUs that can ever be brought online, e.g. {@code 0-255}. */
    static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    /** Used when /sys cannot be read: glibc's fixed {@code CPU_SETSIZE}; getaffinity grows past it. */
    static final int FALLBACK_CPUS = 1024;

    private static final class Host {
        // CPU hot-plug changes which CPUs are online, never which are possible
        static final int POSSIBLE_CPUS = possibleCpusOrFallback(POSSIBLE);
    }

    /** The number of CPU ids this host may ever use: the highest possible CPU plus one. */
    static int possibleCpus() {
        return Host.POSSIBLE_CPUS;
    }

    static int possibleCpusOrFallback(Path possible) {
        try {
            return highestListed(Files.readString(possible)) + 1;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return FALLBACK_CPUS;
        }
    }

    /**
     * The highest CPU number in a kernel CPU list such as {@code 0-3,8-11}.
     *
     * @throws IllegalArgumentException when the text is not a CPU list
     */
    static int highestListed(String cpuList) {
        int highest = -1;
        for (String token : cpuList.strip().split("[,-]")) {
            try {
                highest = Math.max(highest, Integer.parseInt(token));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CPU list: '" + cpuList.strip() + "'", e);
            }
        }
        return highest;
    }

    /**
     * glibc's {@code CPU_ALLOC_SIZE(cpus)}: bytes for {@code cpus} bits, rounded up to whole
     * {@code unsigned long}s, because the kernel rejects other sizes with EINVAL.
     */
    static long allocSize(int cpus) {
        return ((Math.max(cpus, 1) + 63L) / 64) * Long.BYTES;
    }

    /** Writes {@code cpus} into {@code mask}, which must be zeroed and at least large enough. */
    static void write(BitSet cpus, MemorySegment mask) {
        long[] words = cpus.toLongArray();
        MemorySegment.copy(words, 0, mask, ValueLayout.JAVA_LONG, 0, words.length);
    }

    /** The CPUs set in {@code mask}. */
    static BitSet read(MemorySegment mask) {
        return BitSet.valueOf(mask.toArray(ValueLayout.JAVA_LONG));
    }
}
