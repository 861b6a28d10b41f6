package io.kvmtune.core.cpu;

import io.kvmtune.core.InvalidInputException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.NoSuchElementException;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU ids (host pCPUs or guest vCPUs).
 *
 * <p>Reads and writes the cpu spec syntax shared by Nova ({@code parse_cpu_spec},
 * {@code format_cpu_spec}), libvirt's {@code cpuset} attributes and the kernel's cpu lists:
 * {@code "0-3,^2,8"}. Stored as a bit mask in {@code long} words, so set algebra allocates one
 * array and no boxes; the planner does thousands of these per plan.
 */
public final class CpuSet {

    /**
     * Highest CPU id accepted. Linux's NR_CPUS tops out at 8192; a spec such as
     * {@code 0-999999999} is a typo that should be named, not a gigabyte mask.
     */
    public static final int MAX_CPU = 65_535;

    private static final long[] NO_WORDS = new long[0];
    private static final CpuSet EMPTY = new CpuSet(NO_WORDS);

    /** Little-endian bit mask; never has trailing zero words, so equal sets have equal arrays. */
    private final long[] words;

    private CpuSet(long[] words) {
        this.words = words;
    }

    public static CpuSet empty() {
        return EMPTY;
    }

    public static CpuSet of(int... cpus) {
        long[] w = NO_WORDS;
        for (int cpu : cpus) {
            checkId(cpu);
            w = grow(w, cpu);
            w[cpu >>> 6] |= 1L << cpu;
        }
        return fromWords(w);
    }

    /** The CPUs {@code first..last}, both inclusive. */
    public static CpuSet range(int first, int last) {
        checkId(first);
        checkId(last);
        if (first > last) {
            throw new IllegalArgumentException("range start " + first + " is above its end " + last);
        }
        long[] w = new long[(last >>> 6) + 1];
        setRange(w, first, last);
        return fromWords(w);
    }

    /** The CPUs {@code 0..count-1}: every vCPU of a guest with {@code count} vCPUs. */
    public static CpuSet firstN(int count) {
        return count <= 0 ? EMPTY : range(0, count - 1);
    }

    public static CpuSet fromBitSet(BitSet bits) {
        if (!bits.isEmpty()) {
            checkId(bits.length() - 1);
        }
        return fromWords(bits.toLongArray());
    }

    /**
     * Builds a set from a little-endian mask as the kernel's {@code cpu_set_t} and its
     * {@code sched_getaffinity} lay it out.
     */
    public static CpuSet fromMask(long[] mask) {
        int top = mask.length;
        while (top > 0 && mask[top - 1] == 0) {
            top--;
        }
        if (top > 0) {
            checkId(((top - 1) << 6) + 63 - Long.numberOfLeadingZeros(mask[top - 1]));
        }
        return fromWords(Arrays.copyOf(mask, top));
    }

    /**
     * {@link #parse(String)} for a spec read from {@code key} (an option, a configuration key, a
     * file), which the error names.
     *
     * @throws InvalidInputException with code {@code Invalid}, key {@code key}, the whole spec as
     *     value, and a message naming the bad item
     */
    public static CpuSet parse(String spec, String key) {
        try {
            return parse(spec);
        } catch (InvalidInputException e) {
            throw e.withKey(key);
        }
    }

    /**
     * Parses a cpu spec exactly as Nova's {@code parse_cpu_spec} does, with kvmtune's stricter
     * numbers.
     *
     * <p>Items are separated by commas; surrounding whitespace and empty items are ignored.
     * {@code a-b} is an inclusive range, {@code ^a} and {@code ^a-b} exclude, and every exclusion
     * is applied after all inclusions, whatever the order. Numbers are ASCII decimal; leading
     * zeros are accepted, a sign, underscores or other digits are not. The empty spec is the
     * empty set: callers that need CPUs check {@link #isEmpty()}.
     *
     * @throws InvalidInputException with code {@code Invalid}, no key (see
     *     {@link #parse(String, String)}), the whole spec as value, and a message naming the bad
     *     item
     */
    public static CpuSet parse(String spec) {
        long[] include = NO_WORDS;
        long[] exclude = NO_WORDS;
        int length = spec.length();
        int start = 0;
        while (start <= length) {
            int end = spec.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int from = skipSpace(spec, start, end);
            int to = trimEnd(spec, from, end);
            if (from < to) {
                boolean excluded = spec.charAt(from) == '^';
                // Bounded search: an unbounded one rescans the rest of the spec for every item.
                int dash = spec.indexOf('-', from, to);
                if (dash >= 0) {
                    int firstFrom = excluded ? from + 1 : from;
                    int first = parseNumber(spec, firstFrom, dash, "range", from, to);
                    int last = parseNumber(spec, dash + 1, to, "range", from, to);
                    if (first > last) {
                        throw badItem(spec, "range", from, to,
                                "its start " + first + " is above its end " + last);
                    }
                    if (excluded) {
                        exclude = grow(exclude, last);
                        setRange(exclude, first, last);
                    } else {
                        include = grow(include, last);
                        setRange(include, first, last);
                    }
                } else if (excluded) {
                    int cpu = parseNumber(spec, from + 1, to, "exclusion", from, to);
                    exclude = grow(exclude, cpu);
                    exclude[cpu >>> 6] |= 1L << cpu;
                } else {
                    int cpu = parseNumber(spec, from, to, "inclusion", from, to);
                    include = grow(include, cpu);
                    include[cpu >>> 6] |= 1L << cpu;
                }
            }
            start = end + 1;
        }
        for (int i = 0, n = Math.min(include.length, exclude.length); i < n; i++) {
            include[i] &= ~exclude[i];
        }
        return fromWords(include);
    }

    private static int parseNumber(String spec, int from, int to, String kind, int itemFrom, int itemTo) {
        from = skipSpace(spec, from, to);
        to = trimEnd(spec, from, to);
        if (from == to) {
            throw badItem(spec, kind, itemFrom, itemTo, "a CPU number is missing");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = spec.charAt(i);
            if (c < '0' || c > '9') {
                // A dash after digits is a second range separator ("0-1-2"), not a sign.
                String why = c == '-' && i > from ? "a range is start-end, with one dash" : whyNotADigit(c);
                throw badItem(spec, kind, itemFrom, itemTo, "'" + spec.substring(from, to)
                        + "' is not a CPU number: " + why);
            }
            value = value * 10 + (c - '0');
            if (value > MAX_CPU) {
                throw badItem(spec, kind, itemFrom, itemTo,
                        "CPU " + spec.substring(from, to) + " is above the highest supported id " + MAX_CPU);
            }
        }
        return (int) value;
    }

    /** Python's int() accepts all of these, so Nova does; say which leniency kvmtune refuses. */
    private static String whyNotADigit(char c) {
        if (c == '+' || c == '-') {
            return "a sign is not allowed";
        }
        if (c == '_') {
            return "underscores are not allowed";
        }
        if (Character.isDigit(c)) {
            return "only ASCII digits 0-9 are allowed, not U+" + String.format("%04X", (int) c);
        }
        if (Character.isWhitespace(c)) {
            return "whitespace inside a number";
        }
        return "'" + (c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c))
                + "' is not a digit";
    }

    private static InvalidInputException badItem(String spec, String kind, int from, int to, String why) {
        return InvalidInputException.invalid(null, spec,
                "Invalid " + kind + " expression '" + spec.substring(from, to) + "' in cpu spec '" + spec + "': " + why);
    }

    private static int skipSpace(String s, int from, int to) {
        while (from < to && Character.isWhitespace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /**
     * Formats as Nova's {@code format_cpu_spec}: sorted, runs of two or more as {@code a-b},
     * joined by commas; the empty set is {@code ""}. Also the kernel's and libvirt's list format.
     */
    public String format() {
        StringBuilder out = new StringBuilder(words.length * 8);
        int cpu = nextSetBit(0);
        while (cpu >= 0) {
            int runEnd = nextClearBit(cpu) - 1;
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(cpu);
            if (runEnd > cpu) {
                out.append('-').append(runEnd);
            }
            cpu = nextSetBit(runEnd + 1);
        }
        return out.toString();
    }

    public boolean contains(int cpu) {
        int w = cpu >>> 6;
        return cpu >= 0 && w < words.length && (words[w] & (1L << cpu)) != 0;
    }

    public boolean isEmpty() {
        return words.length == 0;
    }

    public int size() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** The lowest CPU id. */
    public int first() {
        int cpu = nextSetBit(0);
        if (cpu < 0) {
            throw new NoSuchElementException("empty CpuSet");
        }
        return cpu;
    }

    /** The highest CPU id. */
    public int last() {
        if (words.length == 0) {
            throw new NoSuchElementException("empty CpuSet");
        }
        int top = words.length - 1;
        return (top << 6) + 63 - Long.numberOfLeadingZeros(words[top]);
    }

    /** The lowest CPU id at or above {@code from} (any negative {@code from} means 0), or -1. */
    public int nextSetBit(int from) {
        if (from < 0) {
            from = 0;
        }
        int w = from >>> 6;
        if (w >= words.length) {
            return -1;
        }
        long word = words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++w == words.length) {
                return -1;
            }
            word = words[w];
        }
    }

    private int nextClearBit(int from) {
        int w = from >>> 6;
        if (w >= words.length) {
            return from;
        }
        long word = ~words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++w == words.length) {
                return w << 6;
            }
            word = ~words[w];
        }
    }

    public CpuSet union(CpuSet other) {
        long[] big = words.length >= other.words.length ? words : other.words;
        long[] small = big == words ? other.words : words;
        if (small.length == 0) {
            return big == words ? this : other;
        }
        long[] w = big.clone();
        for (int i = 0; i < small.length; i++) {
            w[i] |= small[i];
        }
        return new CpuSet(w);
    }

    public CpuSet intersect(CpuSet other) {
        long[] w = new long[Math.min(words.length, other.words.length)];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] & other.words[i];
        }
        return fromWords(w);
    }

    public CpuSet minus(CpuSet other) {
        if (other.words.length == 0 || words.length == 0) {
            return this;
        }
        long[] w = words.clone();
        for (int i = 0, n = Math.min(w.length, other.words.length); i < n; i++) {
            w[i] &= ~other.words[i];
        }
        return fromWords(w);
    }

    public CpuSet with(int cpu) {
        if (contains(cpu)) {
            return this;
        }
        checkId(cpu);
        long[] w = Arrays.copyOf(words, Math.max(words.length, (cpu >>> 6) + 1));
        w[cpu >>> 6] |= 1L << cpu;
        return new CpuSet(w);
    }

    public CpuSet without(int cpu) {
        if (!contains(cpu)) {
            return this;
        }
        long[] w = words.clone();
        w[cpu >>> 6] &= ~(1L << cpu);
        return fromWords(w);
    }

    public boolean containsAll(CpuSet other) {
        if (other.words.length > words.length) {
            return false;
        }
        for (int i = 0; i < other.words.length; i++) {
            if ((other.words[i] & ~words[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean intersects(CpuSet other) {
        for (int i = 0, n = Math.min(words.length, other.words.length); i < n; i++) {
            if ((words[i] & other.words[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} for each CPU in ascending order, without boxing. */
    public void forEach(IntConsumer action) {
        for (int cpu = nextSetBit(0); cpu >= 0; cpu = nextSetBit(cpu + 1)) {
            action.accept(cpu);
        }
    }

    public IntStream stream() {
        return IntStream.of(toArray());
    }

    public int[] toArray() {
        int[] out = new int[size()];
        int i = 0;
        for (int cpu = nextSetBit(0); cpu >= 0; cpu = nextSetBit(cpu + 1)) {
            out[i++] = cpu;
        }
        return out;
    }

    /** A little-endian mask of at least {@code minWords} words, as {@code cpu_set_t} wants it. */
    public long[] toMask(int minWords) {
        return Arrays.copyOf(words, Math.max(minWords, words.length));
    }

    /**
     * ORs this set into {@code mask} and returns it, or a longer copy (at least doubled) when this
     * set's highest CPU lies beyond it: a union of many sets then allocates a few times, not once
     * per set. {@link #fromMask} turns the result into a set.
     */
    public long[] orInto(long[] mask) {
        long[] out = mask.length >= words.length ? mask
                : Arrays.copyOf(mask, Math.max(words.length, mask.length * 2));
        for (int i = 0; i < words.length; i++) {
            out[i] |= words[i];
        }
        return out;
    }

    public BitSet toBitSet() {
        return BitSet.valueOf(words);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /** The canonical cpu spec, as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }

    private static void checkId(int cpu) {
        if (cpu < 0 || cpu > MAX_CPU) {
            throw new IllegalArgumentException("CPU id " + cpu + " is outside 0.." + MAX_CPU);
        }
    }

    private static long[] grow(long[] w, int cpu) {
        int need = (cpu >>> 6) + 1;
        return need <= w.length ? w : Arrays.copyOf(w, Math.max(need, w.length * 2));
    }

    private static void setRange(long[] w, int first, int last) {
        int fw = first >>> 6;
        int lw = last >>> 6;
        long firstMask = -1L << first;
        long lastMask = -1L >>> (63 - (last & 63));
        if (fw == lw) {
            w[fw] |= firstMask & lastMask;
            return;
        }
        w[fw] |= firstMask;
        for (int i = fw + 1; i < lw; i++) {
            w[i] = -1L;
        }
        w[lw] |= lastMask;
    }

    /** Wraps {@code w} (owned by the caller, not shared) after trimming trailing zero words. */
    private static CpuSet fromWords(long[] w) {
        int top = w.length;
        while (top > 0 && w[top - 1] == 0) {
            top--;
        }
        if (top == 0) {
            return EMPTY;
        }
        return new CpuSet(top == w.length ? w : Arrays.copyOf(w, top));
    }
}
