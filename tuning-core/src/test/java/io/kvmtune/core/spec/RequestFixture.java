package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.KvmtuneException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds flavor/image maps from {@code key=value} strings and runs the parser on an x86_64 kvm host. */
final class RequestFixture {

    private RequestFixture() {
    }

    static Map<String, String> specs(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                m.put(pair, "");
            } else {
                m.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return m;
    }

    static TuningRequest parse(int vcpus, Map<String, String> flavor, Map<String, String> image) {
        return RequestParser.parse(flavor, image, vcpus, "x86_64", "kvm");
    }

    static TuningRequest parse(int vcpus, String... flavor) {
        return parse(vcpus, specs(flavor), Map.of());
    }

    static KvmtuneException failure(int vcpus, Map<String, String> flavor, Map<String, String> image) {
        try {
            parse(vcpus, flavor, image);
        } catch (KvmtuneException e) {
            return e;
        }
        throw new AssertionError("accepted flavor " + flavor + " image " + image + " with " + vcpus + " vCPUs");
    }

    static InvalidInputException error(int vcpus, Map<String, String> flavor, Map<String, String> image) {
        KvmtuneException e = failure(vcpus, flavor, image);
        if (e instanceof InvalidInputException invalid) {
            return invalid;
        }
        throw new AssertionError("expected invalid input, got " + e.code() + ": " + e.getMessage(), e);
    }

    static InvalidInputException error(int vcpus, String... flavor) {
        return error(vcpus, specs(flavor), Map.of());
    }
}
