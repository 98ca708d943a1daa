package org.histodraw.engine.forest;

/** A forest file that cannot be read: not a forest, another format version, truncated or damaged. */
public final class ForestFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ForestFormatException(String message) {
        super(message);
    }
}
