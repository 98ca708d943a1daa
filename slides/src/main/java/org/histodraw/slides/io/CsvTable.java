package org.histodraw.slides.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A table written as CSV (RFC 4180): a header, rows of the same width, {@code \n} line ends, UTF-8.
 * A cell holding a comma, a double quote, a line feed or a carriage return is enclosed in double
 * quotes with its quotes doubled; every other cell is written as it is. Numbers are the callers'
 * to format (with {@code Locale.ROOT}). The one CSV writer of the project: the class-area table of
 * {@code histodraw segment} and the service, and the Spark cohort's summary.
 */
public final class CsvTable {
    private final List<String> header;
    private final StringBuilder text = new StringBuilder();

    public CsvTable(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a CSV table needs at least one column");
        }
        this.header = List.copyOf(header);
        append(this.header);
    }

    /** Adds a row; it must have one cell per column (empty strings for empty cells, never null). */
    public CsvTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + header.size()
                    + " columns: " + cells);
        }
        append(cells);
        return this;
    }

    /** The table as CSV text, header first. */
    public String text() {
        return text.toString();
    }

    /**
     * Writes the table to {@code file} (its folder is created): under a temporary name first, then
     * renamed, so the file is whole or absent, never half-written.
     */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path part = parent.resolve(file.getFileName() + ".part");
            Files.writeString(part, text, StandardCharsets.UTF_8);
            try {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** One cell as CSV: quoted when it holds a comma, a quote or a line break, as it is otherwise. */
    public static String cell(String value) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    private void append(List<String> cells) {
        List<String> quoted = new ArrayList<>(cells.size());
        for (String c : cells) {
            quoted.add(cell(c));
        }
        text.append(String.join(",", quoted)).append('\n');
    }
}
