package io.kvmtune.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8259 strictness, limits and round trips of the project's JSON codec. */
class JsonTest {

    private static JsonException parseError(String text) {
        try {
            Json.parse(text);
        } catch (JsonException e) {
            return e;
        }
        throw new AssertionError(text + " parsed");
    }

    @Test
    void valuesMapToJavaTypes() {
        Object v = Json.parse(" {\"a\": [1, -2.5, \"x\", true, false, null, {}], \"b\": 1e3} ");
        assertThat(v).isEqualTo(Map.of(
                "a", java.util.Arrays.asList(1L, -2.5, "x", true, false, null, Map.of()),
                "b", 1000.0));
    }

    @Test
    void objectsKeepInsertionOrderAndAreUnmodifiable() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
        assertThatThrownBy(() -> m.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) Json.parse("[1]");
        assertThatThrownBy(() -> l.add(2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "['a']",
            "01", "-", "-01", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-Infinity",
            "tru", "nul", "True", "[1 2]", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "1 2",
            "[1]]", "// comment\n1", "/* c */ 1", "\u00a01", "\"\t\"", "\"\n\"", "\"\u0000\""})
    void rejectsWhatRfc8259Forbids(String text) {
        assertThat(parseError(text).offset()).isBetween(0, text.length());
    }

    @Test
    void errorsSayWhereAndWhat() {
        JsonException e = parseError("{\"a\": [1, 2,, 3]}");
        assertThat(e.offset()).isEqualTo(12);
        assertThat(e.getMessage()).isEqualTo("unexpected character ',' at offset 12");
    }

    @Test
    void duplicateMemberNamesAreRejectedAtTheName() {
        JsonException e = parseError("{\"a\":1, \"b\":2, \"a\":3}");
        assertThat(e.getMessage()).contains("duplicate member name \"a\"");
        assertThat(e.offset()).isEqualTo(15);
        // The same name in different objects is fine.
        assertThat(Json.parse("[{\"a\":1},{\"a\":2}]")).isEqualTo(List.of(Map.of("a", 1L), Map.of("a", 2L)));
    }

    @Test
    void escapesDecode() {
        assertThat(Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"")).isEqualTo("\" \\ / \b \f \n \r \t");
        assertThat(Json.parse("\"\\u0041\\u00e9\\u20AC\"")).isEqualTo("Aé€");
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("😀");
        assertThat(Json.parse("\"😀 raw\"")).isEqualTo("😀 raw");
    }

    @Test
    void nonAsciiHexDigitsDoNotCountInUnicodeEscapes() {
        assertThat(parseError("\"\\u\uFF10\uFF10\uFF14\uFF11\"").getMessage()).contains("four hex digits");
    }

    @Test
    void depthIsLimited() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThat(parseError(deep).getMessage()).contains("nested deeper than " + Json.MAX_DEPTH);
        String hostile = "{\"a\":".repeat(100_000);
        assertThat(parseError(hostile).getMessage()).contains("nested deeper");
    }

    @Test
    void integersAreLongsAndOverflowBecomesDouble() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
        assertThat(Json.parse("-0")).isEqualTo(0L);
        assertThat(Json.parse("1E2")).isEqualTo(100.0);
    }

    @Test
    void numbersBeyondDoubleRangeAreRejectedNotInfinite() {
        assertThat(parseError("1e400").getMessage()).contains("out of range");
        assertThat(parseError("[-1e999]").offset()).isEqualTo(1);
        assertThat(Json.parse("1e-400")).isEqualTo(0.0);
    }

    @Test
    void writesCompactAndPretty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpus", List.of(1, 2, 3));
        m.put("rt", null);
        m.put("nested", List.of(Map.of("k", "v")));
        assertThat(Json.write(m)).isEqualTo("{\"vcpus\":[1,2,3],\"rt\":null,\"nested\":[{\"k\":\"v\"}]}");
        assertThat(Json.pretty(m)).isEqualTo("""
                {
                  "vcpus": [1, 2, 3],
                  "rt": null,
                  "nested": [
                    {
                      "k": "v"
                    }
                  ]
                }""");
        assertThat(Json.write(Map.of())).isEqualTo("{}");
        assertThat(Json.write(List.of())).isEqualTo("[]");
    }

    @Test
    void aPrettyFileIsThePrettyTextAndANewlineInUtf8WhateverTheSizeExpected() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("comm", "CPU 0/KVM é😀");
        m.put("cpus", List.of(0, 1));
        byte[] expected = (Json.pretty(m) + "\n").getBytes(StandardCharsets.UTF_8);

        assertThat(Json.prettyFile(m, 0)).isEqualTo(expected);
        assertThat(Json.prettyFile(m, 4)).isEqualTo(expected);
        assertThat(Json.prettyFile(m, 1 << 16)).isEqualTo(expected);
    }

    @Test
    void writerEscapesWhatMustBeEscaped() {
        assertThat(Json.write("a\"b\\c\n\u0001\u2028")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\\u2028\"");
        assertThat(Json.write("😀")).isEqualTo("\"😀\"");
    }

    @Test
    void loneSurrogatesAreWrittenEscapedSoTheyRoundTrip() {
        String lone = "x\uD800y\uDC00";
        assertThat(Json.write(lone)).isEqualTo("\"x\\ud800y\\udc00\"");
        assertThat(Json.parse(Json.write(lone))).isEqualTo(lone);
    }

    @Test
    void doublesRoundTripAsDoubles() {
        assertThat(Json.write(1.0)).isEqualTo("1.0");
        assertThat(Json.parse(Json.write(1.0))).isEqualTo(1.0);
        assertThat(Json.parse(Json.write(0.1))).isEqualTo(0.1);
        assertThat(Json.parse(Json.write(1e300))).isEqualTo(1e300);
        assertThat(Json.parse(Json.write(-0.0))).isEqualTo(-0.0);
        assertThat(Json.write(1.5f)).isEqualTo("1.5");
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(List.of(Double.POSITIVE_INFINITY))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writableEnumsAndOtherValues() {
        JsonWritable w = () -> Map.of("x", 1);
        assertThat(Json.write(List.of(w, Thread.State.RUNNABLE, 7, (short) 3, (byte) 2))).isEqualTo("[{\"x\":1},\"runnable\",7,3,2]");
    }

    @Test
    void writeOfParseIsAFixedPoint() {
        String text = " { \"a\" : [ 1 , 2.50 , \"\\u0041\" ] , \"b\" : { } , \"c\" : 1E2 } ";
        String once = Json.write(Json.parse(text));
        assertThat(once).isEqualTo("{\"a\":[1,2.5,\"A\"],\"b\":{},\"c\":100.0}");
        assertThat(Json.write(Json.parse(once))).isEqualTo(once);
        assertThat(Json.parse(Json.pretty(Json.parse(text)))).isEqualTo(Json.parse(text));
    }

    @Test
    void typedAccessNamesThePath() {
        JsonObject o = Json.parseObject("{\"vcpus\":[{\"vcpu\":0,\"pcpus\":\"x\"}],\"n\":5000000000,\"b\":true}");
        assertThat(o.objects("vcpus").getFirst().intValue("vcpu")).isZero();
        assertThatThrownBy(() -> o.objects("vcpus").getFirst().array("pcpus"))
                .hasMessage("$.vcpus[0].pcpus must be an array, found the string \"x\"");
        assertThatThrownBy(() -> o.intValue("n")).hasMessage("$.n is out of range: 5000000000");
        assertThatThrownBy(() -> o.string("missing")).hasMessage("$.missing is missing");
        assertThat(o.bool("b")).isTrue();
        assertThat(o.optString("missing")).isEmpty();
        assertThatThrownBy(() -> Json.parseObject("[]")).hasMessage("$ must be an object, found an array");
    }
}
