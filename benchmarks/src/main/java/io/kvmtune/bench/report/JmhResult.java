package io.kvmtune.bench.report;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of JMH's {@code -rf json} output: a benchmark method with one combination of its
 * parameters.
 *
 * @param benchmark the fully qualified benchmark method
 * @param params the {@code @Param} values of this row, in declaration order
 * @param mode JMH's short mode name ({@code avgt}, {@code thrpt}, {@code sample}, {@code ss})
 * @param samples how many measurement iterations (over all forks) the score is made of
 * @param median the median over those iterations (JMH's 50th score percentile)
 * @param score JMH's score, the mean over those iterations
 * @param error half-width of JMH's 99.9 % confidence interval; NaN with fewer than two iterations
 * @param unit the score's unit, e.g. {@code ns/op}
 * @param settings JMH and JDK versions, forks, warm-up and measurement as JMH ran them, for the report's header
 */
public record JmhResult(String benchmark, Map<String, String> params, String mode, int samples, double median,
        double score, double error, String unit, String settings) {

    public JmhResult {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The benchmark without its package: {@code ThreadSchedulingReadBenchmark.emptyDowncallBaseline}. */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int type = method < 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /**
     * Reads the array JMH writes with {@code -rf json}.
     *
     * @throws JsonException naming the offending field when the text is not JMH's format
     */
    public static List<JmhResult> parseAll(String json) {
        Object top = Json.parse(json);
        if (!(top instanceof List<?> list)) {
            throw new JsonException("JMH results must be a JSON array", 0);
        }
        List<JmhResult> results = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            results.add(of(JsonObject.of(list.get(i), "$[" + i + "]")));
        }
        return results;
    }

    private static JmhResult of(JsonObject o) {
        JsonObject metric = o.object("primaryMetric");
        Map<String, String> params = new LinkedHashMap<>();
        o.optObject("params").ifPresent(p -> p.fields().forEach((k, v) -> params.put(k, String.valueOf(v))));
        int samples = 0;
        for (Object fork : metric.array("rawData")) {
            samples += ((List<?>) fork).size();
        }
        String settings = "JMH " + o.string("jmhVersion") + ", JDK " + o.string("jdkVersion") + ", "
                + o.integer("forks") + " fork(s), warm-up " + o.integer("warmupIterations") + " x "
                + o.string("warmupTime") + ", measurement " + o.integer("measurementIterations") + " x "
                + o.string("measurementTime") + ", " + o.integer("threads") + " thread(s)";
        return new JmhResult(o.string("benchmark"), params, o.string("mode"), samples,
                number(metric.object("scorePercentiles"), "50.0"), number(metric, "score"),
                number(metric, "scoreError"), metric.string("scoreUnit"), settings);
    }

    /** A JMH number: JSON numbers, or the strings {@code "NaN"} and {@code "Infinity"} JMH writes for those. */
    private static double number(JsonObject o, String name) {
        return switch (o.get(name)) {
            case Number n -> n.doubleValue();
            case String s when s.equals("NaN") || s.endsWith("Infinity") -> Double.parseDouble(s);
            case null, default -> throw new JsonException(o.path() + "." + name + " must be a number, not "
                    + o.get(name), -1);
        };
    }
}
