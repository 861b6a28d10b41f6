package io.kvmtune.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kvmtune.core.InvalidInputException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link CpuSet#parse} with arbitrary text. Without {@code JAZZER_FUZZ=1} it replays the
 * seed inputs in {@code CpuSetFuzzTestInputs/} as a regression test.
 */
class CpuSetFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parseThrowsOnlyInvalidInputAndRoundTrips(byte[] input) {
        // Raw bytes keep the seed files plain text; UTF-8 decoding still reaches every code point.
        String spec = new String(input, StandardCharsets.UTF_8);
        CpuSet set;
        try {
            set = CpuSet.parse(spec);
        } catch (InvalidInputException e) {
            assertThat(e.code()).isEqualTo("Invalid");
            assertThat(e.value()).isEqualTo(spec);
            assertThat(e.getMessage()).contains("expression");
            return;
        }
        String canonical = set.format();
        assertThat(CpuSet.parse(canonical)).isEqualTo(set);
        assertThat(CpuSet.parse(canonical).format()).isEqualTo(canonical);
    }
}
