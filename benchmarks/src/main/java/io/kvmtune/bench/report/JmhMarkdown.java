package io.kvmtune.bench.report;

import io.kvmtune.bench.report.MarkdownTable.Align;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns JMH's JSON results into a Markdown table: {@code JmhMarkdown jmh.json [jmh.md]} (standard
 * output without the second argument). The median comes first because on a small, shared VM one
 * slow iteration moves the mean and its error a lot and the median hardly at all.
 */
public final class JmhMarkdown {

    private JmhMarkdown() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: JmhMarkdown JMH_JSON [MARKDOWN_OUT]");
            System.exit(2);
        }
        String markdown = render(JmhResult.parseAll(Files.readString(Path.of(args[0]))));
        if (args.length == 2) {
            Files.writeString(Path.of(args[1]), markdown);
        } else {
            System.out.print(markdown);
        }
    }

    /** The results as a table, preceded by the run settings (one line per distinct setting). */
    public static String render(List<JmhResult> results) {
        MarkdownTable table = new MarkdownTable("Benchmark", Align.LEFT, "Params", Align.LEFT, "Mode", Align.LEFT,
                "Cnt", Align.RIGHT, "Median", Align.RIGHT, "Score", Align.RIGHT, "Error (99.9%)", Align.RIGHT,
                "Units", Align.LEFT);
        Set<String> settings = new LinkedHashSet<>();
        for (JmhResult r : results) {
            settings.add(r.settings());
            table.row(r.shortName(), params(r.params()), r.mode(), Integer.toString(r.samples()),
                    Figures.format(r.median()), Figures.format(r.score()),
                    Double.isNaN(r.error()) ? "n/a" : "± " + Figures.format(r.error()), r.unit());
        }
        StringBuilder out = new StringBuilder();
        settings.forEach(s -> out.append("Run: ").append(s).append("\n"));
        if (results.isEmpty()) {
            out.append("No benchmark results.\n");
        } else {
            out.append('\n').append(table);
        }
        return out.toString();
    }

    private static String params(Map<String, String> params) {
        return params.isEmpty() ? "" : params.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
