package org.histodraw.engine.geojson;

/** Malformed JSON, with the 1-based line and column where reading stopped. */
public final class JsonException extends IllegalArgumentException {
    private final int line;
    private final int column;

    JsonException(String problem, int line, int column) {
        super("JSON error at line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
