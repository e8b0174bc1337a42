package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table: a header and rows, columns padded to their widest cell and two spaces apart; pure.
 * Line breaks and tabs in cells become spaces, so one row stays one line for grep and awk.
 */
public record Table(List<String> header, List<List<String>> rows) {
    public Table {
        header = List.copyOf(header);
        int columns = header.size();
        rows = rows.stream().map(row -> {
            if (row.size() != columns) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells, the header " + columns);
            }
            return row.stream().map(Table::cell).toList();
        }).toList();
    }

    public static Table of(String... header) {
        return new Table(List.of(header), List.of());
    }

    /** This table with one more row. */
    public Table row(String... cells) {
        var more = new ArrayList<>(rows);
        more.add(java.util.Arrays.asList(cells));
        return new Table(header, more);
    }

    /** The lines, each ending in a newline; the last column is not padded. */
    public String render() {
        int[] widths = new int[header.size()];
        for (var row : withHeader()) {
            for (int c = 0; c < row.size(); c++) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        var out = new StringBuilder();
        for (var row : withHeader()) {
            var line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(row.get(c));
                if (c < row.size() - 1) line.append(" ".repeat(widths[c] - row.get(c).length() + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private List<List<String>> withHeader() {
        var all = new ArrayList<List<String>>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static String cell(String value) {
        return value == null || value.isEmpty() ? "-" : value.replaceAll("[\\r\\n\\t]+", " ");
    }
}
