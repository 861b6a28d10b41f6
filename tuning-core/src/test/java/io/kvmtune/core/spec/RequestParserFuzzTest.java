package io.kvmtune.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Fuzzes the extra-spec validator and request parser with arbitrary keys and values: nothing but
 * {@link InvalidInputException} (or {@link DoesNotFitException} for {@code hypervisor_type})
 * escapes, and every error names a key.
 *
 * <p>The input is text so that seeds stay readable: the first line is the vCPU count, then lines
 * {@code f KEY=VALUE} (flavor) and {@code i KEY=VALUE} (image). Without {@code JAZZER_FUZZ=1} the
 * seeds in {@code RequestParserFuzzTestInputs/} are replayed.
 */
class RequestParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void onlyTypedErrorsEscapeAndEveryErrorNamesAKey(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        int vcpus = 1;
        try {
            vcpus = Integer.parseInt(lines[0].strip());
        } catch (NumberFormatException e) {
            // not a count: the default keeps the rest of the input useful
        }
        Map<String, String> flavor = new HashMap<>();
        Map<String, String> image = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int eq = line.indexOf('=');
            if (line.length() < 2 || eq < 2) {
                continue;
            }
            (line.charAt(0) == 'f' ? flavor : image).put(line.substring(2, eq), line.substring(eq + 1));
        }
        try {
            TuningRequest r = RequestParser.parse(flavor, image, vcpus, "x86_64", "kvm");
            assertThat(r.vcpus()).isEqualTo(vcpus);
        } catch (InvalidInputException | DoesNotFitException e) {
            assertThat(e.key()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
