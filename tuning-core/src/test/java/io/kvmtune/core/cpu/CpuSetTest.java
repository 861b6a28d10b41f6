package io.kvmtune.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import java.util.BitSet;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nova-semantics.md §1: every parse and format rule of Nova's {@code parse_cpu_spec} and
 * {@code format_cpu_spec}, the cases of Nova's {@code CpuSetTestCase} (test_hardware.py), and
 * kvmtune's stricter numbers.
 */
class CpuSetTest {

    private static CpuSet parse(String spec) {
        return CpuSet.parse(spec);
    }

    private static InvalidInputException parseError(String spec) {
        try {
            CpuSet.parse(spec);
        } catch (InvalidInputException e) {
            return e;
        }
        throw new AssertionError("'" + spec + "' parsed");
    }

    // --- §1 parse rules ---

    @Test
    void emptySpecIsEmptySet_notAnErrorAtThisLevel() {
        assertThat(parse("")).isEqualTo(CpuSet.empty());
        assertThat(parse("  ")).isEqualTo(CpuSet.empty());
    }

    @Test
    void emptyAndBlankElementsAreSkipped_test_parse_cpu_spec_valid_syntax_works() {
        assertThat(parse(", ,1,,2,")).isEqualTo(CpuSet.of(1, 2));
        assertThat(parse(",,")).isEqualTo(CpuSet.empty());
    }

    @Test
    void elementsAreTrimmed_test_parse_cpu_spec_valid_syntax_works() {
        assertThat(parse("1")).isEqualTo(CpuSet.of(1));
        assertThat(parse(" 1 ")).isEqualTo(CpuSet.of(1));
        assertThat(parse("1,2")).isEqualTo(CpuSet.of(1, 2));
        assertThat(parse(" 1 , 2 ")).isEqualTo(CpuSet.of(1, 2));
        assertThat(parse("\t1\n,2")).isEqualTo(CpuSet.of(1, 2));
    }

    @Test
    void rangeIsInclusiveAndBothSidesAreTrimmed_test_parse_cpu_spec_valid_syntax_works() {
        assertThat(parse("1-1")).isEqualTo(CpuSet.of(1));
        assertThat(parse("1-3")).isEqualTo(CpuSet.of(1, 2, 3));
        assertThat(parse(" 1 - 3")).isEqualTo(CpuSet.of(1, 2, 3));
        assertThat(parse("1 -3,5")).isEqualTo(CpuSet.of(1, 2, 3, 5));
        assertThat(parse("^2 - 3,0-5")).isEqualTo(CpuSet.of(0, 1, 4, 5));
    }

    @Test
    void caretExcludesASingleCpuAndToleratesBlankAfterTheCaret_test_parse_cpu_spec_valid_syntax_works() {
        assertThat(parse("0-3,^2")).isEqualTo(CpuSet.of(0, 1, 3));
        assertThat(parse("0-3,^ 2")).isEqualTo(CpuSet.of(0, 1, 3));
        assertThat(parse("0-3, ^2 ")).isEqualTo(CpuSet.of(0, 1, 3));
    }

    @Test
    void exclusionsApplyAfterAllInclusionsWhateverTheOrder() {
        assertThat(parse("^1,1")).isEqualTo(CpuSet.empty());
        assertThat(parse("1,^1")).isEqualTo(CpuSet.empty());
        assertThat(parse("0-7,^2-5,3")).isEqualTo(CpuSet.of(0, 1, 6, 7));
        assertThat(parse("^2-5,0-7,3")).isEqualTo(CpuSet.of(0, 1, 6, 7));
        assertThat(parse("^9")).isEqualTo(CpuSet.empty());
    }

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(delimiter = ';', value = {
            "-1;range", "1-;range", "-3;range", "1--3;range", "1-2-3;range", "3-1;range", "a-3;range",
            "^2-;range", "^-3;range", "^^5;exclusion", "^;exclusion", "^2^;exclusion", "^a;exclusion",
            "1 2;inclusion", "a;inclusion", "1a;inclusion", "0x1;inclusion"})
    void malformedElementIsInvalidNamingTheElement_test_parse_cpu_spec_invalid_syntax_raises(String element, String kind) {
        String spec = "0," + element + ",4";
        InvalidInputException e = parseError(spec);
        assertThat(e.code()).isEqualTo("Invalid");
        assertThat(e.key()).isNull();
        assertThat(e.value()).isEqualTo(spec);
        assertThat(e.getMessage()).startsWith("Invalid " + kind + " expression '" + element.strip() + "'");
    }

    @Test
    void rangeWithStartAboveEndSaysSo() {
        assertThat(parseError("3-1").getMessage()).contains("start 3 is above its end 1");
    }

    @Test
    void onlyTheFirstDashSplitsARange() {
        // "1-2-3": the end is "2-3", not a number.
        assertThat(parseError("1-2-3").getMessage()).contains("'2-3' is not a CPU number");
    }

    @Test
    void aSecondDashIsNamedAsSuchNotAsASign() {
        assertThat(parseError("0-1-2").getMessage()).endsWith("'1-2' is not a CPU number: a range is start-end, with one dash");
        assertThat(parseError("0--2").getMessage()).endsWith("'-2' is not a CPU number: a sign is not allowed");
    }

    @Test
    void errorKeyIsAddedByTheCaller() {
        InvalidInputException e = parseError("x").withKey("compute.cpu_shared_set");
        assertThat(e.key()).isEqualTo("compute.cpu_shared_set");
        assertThat(e.getMessage()).startsWith("compute.cpu_shared_set: Invalid inclusion expression 'x'");
    }

    @Test
    void parseWithAKeyNamesItInTheError() {
        assertThat(CpuSet.parse("2-3", "--cpus")).isEqualTo(CpuSet.of(2, 3));
        assertThatThrownBy(() -> CpuSet.parse("2-x", "--cpus")).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.key()).isEqualTo("--cpus");
            assertThat(e.value()).isEqualTo("2-x");
            assertThat(e.getMessage()).startsWith("--cpus: ");
        });
    }

    // --- kvmtune's stricter numbers (REFERENCE.md decision 4) ---

    @Test
    void leadingZerosAreAccepted() {
        assertThat(parse(" 007")).isEqualTo(CpuSet.of(7));
        assertThat(parse("00-02,^001")).isEqualTo(CpuSet.of(0, 2));
        assertThat(parse("0000000000000000000000000000000000000001")).isEqualTo(CpuSet.of(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1", "1--3", "1-+3", "^+2"})
    void signIsRejectedWherePythonIntWouldAcceptIt(String spec) {
        assertThat(parseError(spec).getMessage()).contains("a sign is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1_0", "0-1_0", "^1_0"})
    void underscoresAreRejectedWherePythonIntWouldReadThemAsDigitGroups(String spec) {
        assertThat(parseError(spec).getMessage()).contains("underscores are not allowed").contains("'" + spec + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0663", "1-\u0663", "^\uFF11", "\u0967"})
    void nonAsciiDigitsAreRejectedNamingTheCodePoint(String spec) {
        InvalidInputException e = parseError(spec);
        assertThat(e.getMessage()).contains("only ASCII digits 0-9 are allowed, not U+");
    }

    @Test
    void cpuAboveTheHighestSupportedIdIsNamed() {
        assertThat(parse(Integer.toString(CpuSet.MAX_CPU))).isEqualTo(CpuSet.of(CpuSet.MAX_CPU));
        assertThat(parseError("0-999999999").getMessage()).contains("999999999 is above the highest supported id");
        assertThat(parseError("99999999999999999999999").getMessage()).contains("above the highest supported id");
    }

    // --- §1 format rules ---

    @Test
    void formatGroupsRunsOfTwoOrMore_test_format_cpu_spec() {
        assertThat(CpuSet.of(1, 2, 4, 6).format()).isEqualTo("1-2,4,6");
        assertThat(CpuSet.of(0, 1, 2, 3, 8, 9, 10).format()).isEqualTo("0-3,8-10");
        assertThat(CpuSet.of(5).format()).isEqualTo("5");
        assertThat(CpuSet.of(6, 7).format()).isEqualTo("6-7");
    }

    @Test
    void formatOfEmptySetIsEmptyString_test_format_cpu_spec() {
        assertThat(CpuSet.empty().format()).isEmpty();
        assertThat(CpuSet.empty()).hasToString("");
    }

    @Test
    void formatIsSortedWhateverTheInputOrder_test_format_cpu_spec() {
        assertThat(CpuSet.of(6, 4, 2, 1).format()).isEqualTo("1-2,4,6");
        assertThat(parse("9,3,1-2,^2").format()).isEqualTo("1,3,9");
    }

    @Test
    void formatRunsAcrossWordBoundaries() {
        assertThat(CpuSet.range(60, 70).format()).isEqualTo("60-70");
        assertThat(CpuSet.range(0, 127).format()).isEqualTo("0-127");
        assertThat(CpuSet.of(63, 64).format()).isEqualTo("63-64");
        assertThat(CpuSet.of(63, 65).format()).isEqualTo("63,65");
    }

    // --- more than 1024 CPUs, masks ---

    @Test
    void hostsBeyond1024CpusParseFormatAndCombine() {
        CpuSet big = parse("0-4095,^1024-2047,8191");
        assertThat(big.size()).isEqualTo(3073);
        assertThat(big.format()).isEqualTo("0-1023,2048-4095,8191");
        assertThat(big.contains(1023)).isTrue();
        assertThat(big.contains(1024)).isFalse();
        assertThat(big.last()).isEqualTo(8191);
        assertThat(big.intersect(CpuSet.range(1000, 2100)).format()).isEqualTo("1000-1023,2048-2100");
        assertThat(big.minus(CpuSet.range(0, 4095))).isEqualTo(CpuSet.of(8191));
    }

    @Test
    void maskRoundTripsThroughCpuSetTLayout() {
        CpuSet set = CpuSet.of(0, 63, 64, 1500);
        long[] mask = set.toMask(32);
        assertThat(mask).hasSize(32);
        assertThat(mask[0]).isEqualTo(1L | (1L << 63));
        assertThat(mask[1]).isEqualTo(1L);
        assertThat(mask[1500 / 64]).isEqualTo(1L << (1500 % 64));
        assertThat(CpuSet.fromMask(mask)).isEqualTo(set);
        assertThat(CpuSet.fromMask(new long[16])).isEqualTo(CpuSet.empty());
        assertThat(set.toMask(0)).hasSize(24);
    }

    @Test
    void fromMaskRefusesCpusAboveTheLimit() {
        long[] mask = new long[(CpuSet.MAX_CPU + 1) / 64 + 1];
        mask[mask.length - 1] = 1;
        assertThatThrownBy(() -> CpuSet.fromMask(mask)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bitSetConversionRoundTrips() {
        CpuSet set = parse("1-3,100,2000");
        BitSet bits = set.toBitSet();
        assertThat(bits.cardinality()).isEqualTo(5);
        assertThat(CpuSet.fromBitSet(bits)).isEqualTo(set);
    }

    // --- set algebra ---

    @Test
    void setAlgebra() {
        CpuSet a = parse("0-7");
        CpuSet b = parse("4-11");
        assertThat(a.union(b)).isEqualTo(parse("0-11"));
        assertThat(a.intersect(b)).isEqualTo(parse("4-7"));
        assertThat(a.minus(b)).isEqualTo(parse("0-3"));
        assertThat(b.minus(a)).isEqualTo(parse("8-11"));
        assertThat(a.intersects(b)).isTrue();
        assertThat(a.intersects(parse("8-9"))).isFalse();
        assertThat(a.containsAll(parse("1,3-5"))).isTrue();
        assertThat(a.containsAll(b)).isFalse();
        assertThat(a.containsAll(CpuSet.empty())).isTrue();
        assertThat(CpuSet.empty().containsAll(a)).isFalse();
    }

    @Test
    void resultsAreCanonicalSoEqualSetsAreEqualWhateverTheirHistory() {
        CpuSet viaMinus = parse("0-200").minus(parse("65-200"));
        assertThat(viaMinus).isEqualTo(parse("0-64")).hasSameHashCodeAs(parse("0-64"));
        assertThat(parse("100").without(100)).isEqualTo(CpuSet.empty()).hasSameHashCodeAs(CpuSet.empty());
        assertThat(parse("0-300").intersect(parse("0-3"))).isEqualTo(CpuSet.range(0, 3));
        assertThat(CpuSet.empty().union(parse("5"))).isEqualTo(CpuSet.of(5));
    }

    @Test
    void withAndWithoutAddAndRemoveOneCpu() {
        CpuSet s = CpuSet.of(1);
        assertThat(s.with(1)).isSameAs(s);
        assertThat(s.with(700)).isEqualTo(CpuSet.of(1, 700));
        assertThat(s.without(2)).isSameAs(s);
        assertThat(s.with(700).without(700)).isEqualTo(s);
        assertThatThrownBy(() -> s.with(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.with(CpuSet.MAX_CPU + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void factories() {
        assertThat(CpuSet.firstN(0)).isEqualTo(CpuSet.empty());
        assertThat(CpuSet.firstN(4)).isEqualTo(parse("0-3"));
        assertThat(CpuSet.range(64, 64)).isEqualTo(CpuSet.of(64));
        assertThatThrownBy(() -> CpuSet.range(3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpuSet.of(-5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void iterationIsAscendingWithoutBoxing() {
        CpuSet s = parse("200,3,64-65,0");
        assertThat(s.toArray()).containsExactly(0, 3, 64, 65, 200);
        assertThat(s.stream().toArray()).containsExactly(0, 3, 64, 65, 200);
        IntStream.Builder seen = IntStream.builder();
        s.forEach(seen::add);
        assertThat(seen.build().toArray()).containsExactly(0, 3, 64, 65, 200);
        assertThat(s.first()).isZero();
        assertThat(s.last()).isEqualTo(200);
        assertThat(s.size()).isEqualTo(5);
    }

    @Test
    void nextSetBitTreatsANegativeStartAsZero() {
        CpuSet s = CpuSet.of(5, 70);
        assertThat(s.nextSetBit(-10)).isEqualTo(5);
        assertThat(s.nextSetBit(6)).isEqualTo(70);
        assertThat(s.nextSetBit(71)).isEqualTo(-1);
        assertThat(s.nextSetBit(100_000)).isEqualTo(-1);
        assertThat(s.contains(-1)).isFalse();
        assertThat(s.contains(1_000_000)).isFalse();
    }

    @Test
    void firstAndLastOfEmptySetThrow() {
        assertThatThrownBy(() -> CpuSet.empty().first()).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> CpuSet.empty().last()).isInstanceOf(NoSuchElementException.class);
    }
}
