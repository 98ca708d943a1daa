package org.histodraw.server.store;

import java.util.List;

/**
 * The history of a slice's regions: every event of every commit, paged newest first with a
 * cursor that cannot skip part of a large commit, the changes after a commit (for clients that
 * catch up), and which commit an event or a moment belongs to (for restores).
 */
public final class RegionHistory {
    /**
     * Where a page of the history starts: after the event {@code eventId} of commit {@code seq}
     * (events run newest first: higher seq, then higher event id within a commit).
     */
    public record Cursor(long seq, long eventId) {
        /** The newest event first. */
        public static final Cursor NEWEST = new Cursor(Long.MAX_VALUE, Long.MAX_VALUE);

        /** The events of the commits before {@code seq}. */
        public static Cursor beforeSeq(long seq) {
            return new Cursor(seq, 0);
        }
    }

    static final String EVENT_COLUMNS = "e.id, e.seq, e.op, e.region_id, e.version, e.layer, e.class_name, e.geometry, "
            + "e.properties, e.provenance, COALESCE(u.username, ''), e.created_at";
    private final Database db;

    RegionHistory(Database db) {
        this.db = db;
    }

    /** Up to {@code limit} events after the cursor, newest first. */
    public List<Change> page(long sliceId, Cursor after, int limit) {
        return db.read(c -> Database.list(c, "SELECT " + EVENT_COLUMNS + " FROM region_events e LEFT JOIN users u ON u.id = e.user_id "
                + "WHERE e.slice_id = ? AND (e.seq < ? OR (e.seq = ? AND e.id < ?)) ORDER BY e.seq DESC, e.id DESC LIMIT " + limit,
                Regions::change, sliceId, after.seq(), after.seq(), after.eventId()));
    }

    /** Changes after commit {@code since}, oldest first, at most {@code limit}. */
    public List<Change> changesSince(long sliceId, long since, int limit) {
        return db.read(c -> Database.list(c, "SELECT " + EVENT_COLUMNS + " FROM region_events e LEFT JOIN users u ON u.id = e.user_id "
                + "WHERE e.slice_id = ? AND e.seq > ? ORDER BY e.id LIMIT " + limit, Regions::change, sliceId, since));
    }

    /** Changes after commit {@code since} up to commit {@code upTo} (both seq), oldest first, at most {@code limit}. */
    public List<Change> changesBetween(long sliceId, long since, long upTo, int limit) {
        return db.read(c -> Database.list(c, "SELECT " + EVENT_COLUMNS + " FROM region_events e LEFT JOIN users u ON u.id = e.user_id "
                + "WHERE e.slice_id = ? AND e.seq > ? AND e.seq <= ? ORDER BY e.id LIMIT " + limit, Regions::change, sliceId, since, upTo));
    }

    /** How many region events there are after commit {@code since} up to commit {@code upTo}. */
    public long countChangesBetween(long sliceId, long since, long upTo) {
        return db.read(c -> Database.one(c, "SELECT COUNT(*) FROM region_events WHERE slice_id = ? AND seq > ? AND seq <= ?",
                rs -> rs.getLong(1), sliceId, since, upTo).orElse(0L));
    }

    /** The commit an event belongs to (NotFound unless it is an event of this slice). */
    public long seqOfEvent(long sliceId, long eventId) {
        return db.read(c -> Database.one(c, "SELECT seq FROM region_events WHERE id = ? AND slice_id = ?", rs -> rs.getLong(1), eventId, sliceId))
                .orElseThrow(() -> new NotFound("no event " + eventId + " on slice " + sliceId));
    }

    /** The last commit made at or before {@code epochMillis} (0 when none). */
    public long seqAtTime(long sliceId, long epochMillis) {
        return db.read(c -> Database.one(c, "SELECT COALESCE(MAX(seq), 0) FROM region_events WHERE slice_id = ? AND created_at <= ?",
                rs -> rs.getLong(1), sliceId, epochMillis).orElse(0L));
    }
}
