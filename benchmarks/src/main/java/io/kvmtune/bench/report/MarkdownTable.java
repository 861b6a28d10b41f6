package io.kvmtune.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table whose columns are also padded to line up, so the same text
 * reads well in a terminal and renders as a table in a report.
 */
public final class MarkdownTable {

    /** How a column's cells line up: text to the left, numbers to the right. */
    public enum Align {
        LEFT, RIGHT
    }

    private final List<String> headers;
    private final List<Align> aligns;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param columns alternating header text and {@link Align}, e.g. {@code "Benchmark", LEFT, "Score", RIGHT} */
    public MarkdownTable(Object... columns) {
        if (columns.length == 0 || columns.length % 2 != 0) {
            throw new IllegalArgumentException("columns come in (header, Align) pairs");
        }
        List<String> h = new ArrayList<>();
        List<Align> a = new ArrayList<>();
        for (int i = 0; i < columns.length; i += 2) {
            h.add((String) columns[i]);
            a.add((Align) columns[i + 1]);
        }
        headers = List.copyOf(h);
        aligns = List.copyOf(a);
    }

    public MarkdownTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row needs " + headers.size() + " cells, not " + cells.length);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (String cell : cells) {
            // a '|' inside a cell would end it; a line break would end the table
            row.add(cell.replace("|", "\\|").replace('\n', ' '));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    @Override
    public String toString() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(3, headers.get(c).length());
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            out.append(aligns.get(c) == Align.RIGHT ? " " + "-".repeat(widths[c] - 1) + ": |" : " " + "-".repeat(widths[c]) + " |");
        }
        out.append('\n');
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(aligns.get(c) == Align.RIGHT ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }
}
