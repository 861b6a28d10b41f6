package io.kvmtune.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link Json#parse}: it throws nothing but {@link JsonException}, and whatever it accepts
 * writes back to text that parses to an equal value and is a fixed point of write(parse(.)).
 * Without {@code JAZZER_FUZZ=1} it replays the seeds in {@code JsonFuzzTestInputs/}.
 */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parseThrowsOnlyJsonExceptionAndRoundTrips(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Object value;
        try {
            value = Json.parse(text);
        } catch (JsonException e) {
            assertThat(e.offset()).isBetween(0, text.length());
            return;
        }
        String written = Json.write(value);
        assertThat(Json.parse(written)).isEqualTo(value);
        assertThat(Json.write(Json.parse(written))).isEqualTo(written);
        assertThat(Json.parse(Json.pretty(value))).isEqualTo(value);
    }
}
