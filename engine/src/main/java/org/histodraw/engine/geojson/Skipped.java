package org.histodraw.engine.geojson;

import java.util.Objects;

/**
 * A feature of an imported file that gives no region, and why (a point, a line, an outline that
 * cannot be repaired, a MicroDraw path type that is not a region...).
 *
 * @param at     where it is in the file ({@code feature 3}, {@code MicroDraw region 2})
 * @param id     the id the file gives it, or null
 * @param reason what it is or what is wrong, to follow the subject ("is a point ...")
 */
public record Skipped(String at, String id, String reason) {
    public Skipped {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }

    /** "feature 3: is a point ..." */
    public String message() {
        return at + ": " + reason;
    }
}
