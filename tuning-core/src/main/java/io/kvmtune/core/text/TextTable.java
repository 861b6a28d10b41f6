package io.kvmtune.core.text;

import java.util.ArrayList;
import java.util.List;

/** Rows of text in left-aligned columns, two spaces apart: the table output of the commands. */
public final class TextTable {

    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column headings. */
    public TextTable(String... header) {
        rows.add(header);
    }

    /**
     * Adds a row of exactly one cell per column; {@code null} cells print as {@code -}.
     *
     * @throws IllegalArgumentException when the row has another number of cells than the header
     */
    public TextTable row(Object... cells) {
        String[] row = new String[rows.getFirst().length];
        if (cells.length != row.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + row.length + " columns");
        }
        for (int c = 0; c < row.length; c++) {
            row[c] = cells[c] != null ? cells[c].toString() : "-";
        }
        rows.add(row);
        return this;
    }

    /** Every row, one per line, each ending with a newline. */
    public String render() {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder(64 * rows.size());
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                out.append(row[c]);
                if (c < row.length - 1) {
                    out.repeat(' ', widths[c] - row[c].length() + 2);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
