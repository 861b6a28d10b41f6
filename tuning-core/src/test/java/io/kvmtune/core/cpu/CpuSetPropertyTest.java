package io.kvmtune.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random properties of the cpu spec syntax: format(parse(x)) is canonical and round-trips,
 * and a random spelling of a set parses back to that set. Each seed is a test case, so a failure
 * names the seed that reproduces it.
 */
class CpuSetPropertyTest {

    static LongStream seeds() {
        return LongStream.range(0, 300).map(i -> 0x5EED_0000L + i);
    }

    /** A random set drawn up to a random bound, sometimes past 1024 and across word boundaries. */
    private static BitSet randomBits(Random r) {
        int bound = switch (r.nextInt(4)) {
            case 0 -> 8;
            case 1 -> 130;
            case 2 -> 1100;
            default -> 9000;
        };
        BitSet bits = new BitSet();
        int runs = r.nextInt(12);
        for (int i = 0; i < runs; i++) {
            int start = r.nextInt(bound);
            int length = r.nextInt(4) == 0 ? r.nextInt(200) + 1 : r.nextInt(3) + 1;
            bits.set(start, Math.min(bound, start + length));
        }
        return bits;
    }

    /** The reference format, independent of CpuSet: maximal runs, "a-b" for two or more. */
    private static String referenceFormat(BitSet bits) {
        StringBuilder out = new StringBuilder();
        for (int a = bits.nextSetBit(0); a >= 0; ) {
            int b = bits.nextClearBit(a) - 1;
            out.append(out.isEmpty() ? "" : ",").append(a).append(b > a ? "-" + b : "");
            a = bits.nextSetBit(b + 1);
        }
        return out.toString();
    }

    /**
     * A random, non-canonical spelling of {@code bits}: shuffled singles and ranges, overlapping
     * inclusions, exclusions of CPUs outside the set, blanks, empty items and leading zeros.
     */
    private static String randomSpelling(BitSet bits, Random r) {
        java.util.List<String> items = new java.util.ArrayList<>();
        for (int a = bits.nextSetBit(0); a >= 0; ) {
            int b = bits.nextClearBit(a) - 1;
            int from = a;
            while (from <= b) {
                int to = Math.min(b, from + r.nextInt(b - from + 2));
                items.add(to == from && r.nextBoolean() ? number(from, r) : number(from, r) + pad(r) + "-" + pad(r) + number(to, r));
                if (r.nextInt(5) == 0 && to > from) {
                    items.add(number(from + r.nextInt(to - from + 1), r)); // overlapping re-inclusion
                }
                from = to + 1;
            }
            int gapEnd = bits.nextSetBit(b + 1);
            if (r.nextBoolean()) {
                // exclude something in the gap after this run: never a member of the set
                int x = b + 1;
                int y = gapEnd < 0 ? x + r.nextInt(3) : Math.min(gapEnd - 1, x + r.nextInt(3));
                items.add("^" + pad(r) + number(x, r) + (y > x ? "-" + number(y, r) : ""));
            }
            a = gapEnd;
        }
        if (r.nextBoolean()) {
            items.add("");
        }
        java.util.Collections.shuffle(items, r);
        StringBuilder out = new StringBuilder();
        for (String item : items) {
            out.append(out.isEmpty() && r.nextBoolean() ? "" : ",").append(pad(r)).append(item).append(pad(r));
        }
        return out.toString();
    }

    private static String number(int n, Random r) {
        return "0".repeat(r.nextInt(8) == 0 ? r.nextInt(3) + 1 : 0) + n;
    }

    private static String pad(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\t";
            default -> "";
        };
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomSpellingParsesToTheGeneratingSet(long seed) {
        Random r = new Random(seed);
        BitSet bits = randomBits(r);
        String spelling = randomSpelling(bits, r);
        CpuSet parsed = CpuSet.parse(spelling);
        assertThat(parsed.toBitSet()).as("parse(%s)", spelling).isEqualTo(bits);
        assertThat(parsed).isEqualTo(CpuSet.fromBitSet(bits));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void formatIsCanonicalAndRoundTrips(long seed) {
        Random r = new Random(seed);
        BitSet bits = randomBits(r);
        CpuSet parsed = CpuSet.parse(randomSpelling(bits, r));
        String canonical = parsed.format();
        assertThat(canonical).isEqualTo(referenceFormat(bits));
        assertThat(CpuSet.parse(canonical)).isEqualTo(parsed);
        assertThat(CpuSet.parse(canonical).format()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void setAlgebraAgreesWithBitSet(long seed) {
        Random r = new Random(seed);
        BitSet x = randomBits(r);
        BitSet y = randomBits(r);
        CpuSet a = CpuSet.fromBitSet(x);
        CpuSet b = CpuSet.fromBitSet(y);
        BitSet or = (BitSet) x.clone();
        or.or(y);
        BitSet and = (BitSet) x.clone();
        and.and(y);
        BitSet andNot = (BitSet) x.clone();
        andNot.andNot(y);
        assertThat(a.union(b)).isEqualTo(CpuSet.fromBitSet(or));
        assertThat(a.intersect(b)).isEqualTo(CpuSet.fromBitSet(and));
        assertThat(a.minus(b)).isEqualTo(CpuSet.fromBitSet(andNot));
        assertThat(a.intersects(b)).isEqualTo(x.intersects(y));
        assertThat(a.containsAll(b)).isEqualTo(andNotEmpty(y, x));
        assertThat(a.size()).isEqualTo(x.cardinality());
        assertThat(CpuSet.fromMask(a.toMask(r.nextInt(200)))).isEqualTo(a);
    }

    private static boolean andNotEmpty(BitSet sub, BitSet sup) {
        BitSet rest = (BitSet) sub.clone();
        rest.andNot(sup);
        return rest.isEmpty();
    }
}
