package org.histodraw.server.store;

import java.util.Optional;

/**
 * The display settings of slices that are not 8-bit colour (16-bit, float, fluorescence channels),
 * as JSON text ({@code [{"visible", "color", "min", "max"}, ...]}, checked against the slide's
 * channels by the caller). A slice without a row shows the automatic ranges.
 */
public final class SliceDisplays {
    /** Far more than 64 channels of settings take. */
    public static final int MAX_JSON_CHARS = 20_000;

    private final Database db;

    public SliceDisplays(Database db) {
        this.db = db;
    }

    public Optional<String> get(long sliceId) {
        return db.read(c -> Database.one(c, "SELECT settings FROM slice_display WHERE slice_id = ?", rs -> rs.getString(1), sliceId));
    }

    /** Stores the settings of a slice, replacing earlier ones. */
    public void put(long sliceId, String json) {
        if (json.length() > MAX_JSON_CHARS) {
            throw new IllegalArgumentException("display settings longer than " + MAX_JSON_CHARS + " characters");
        }
        long now = System.currentTimeMillis();
        db.transaction(c -> {
            Database.update(c, "DELETE FROM slice_display WHERE slice_id = ?", sliceId);
            Database.update(c, "INSERT INTO slice_display (slice_id, settings, updated_at) VALUES (?, ?, ?)", sliceId, json, now);
            return null;
        });
    }

    /** Back to the automatic ranges; true when there were settings. */
    public boolean clear(long sliceId) {
        return db.transaction(c -> Database.update(c, "DELETE FROM slice_display WHERE slice_id = ?", sliceId) > 0);
    }
}
