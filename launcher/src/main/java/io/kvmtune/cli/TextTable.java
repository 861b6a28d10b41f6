package io.kvmtune.cli;

import java.util.ArrayList;
import java.util.List;

/** Rows of text in left-aligned columns, two spaces apart: the table output of the commands. */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        rows.add(header);
    }

    /** Adds a row; {@code null} cells print as {@code -}. */
    TextTable row(Object... cells) {
        String[] row = new String[rows.getFirst().length];
        for (int c = 0; c < row.length; c++) {
            row[c] = c < cells.length && cells[c] != null ? cells[c].toString() : "-";
        }
        rows.add(row);
        return this;
    }

    String render() {
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
