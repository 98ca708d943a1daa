package org.histodraw.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What MicroDraw compatibility keeps beside the regions: the source URLs that name series (so an
 * imported project's old URLs keep working) and MicroDraw's lines and texts, which are no regions.
 */
public final class MicroDrawStore {
    private final Database db;

    public MicroDrawStore(Database db) {
        this.db = db;
    }

    /** A source URL that names a series; {@code sliceNames} is the source's "names" as JSON text, or null. */
    public record Source(String source, String project, long seriesId, String sliceNames) {
    }

    /** A line or text as MicroDraw wrote it ({@code annotation}: {"name", "uid", "path"}). */
    public record Item(long sliceId, String uid, String annotation, String username, long updatedAt) {
    }

    /** Records (or moves) a source URL to a series, for one MicroDraw project ('' for any). */
    public void register(Source s) {
        db.transaction(c -> {
            Database.update(c, "DELETE FROM microdraw_sources WHERE source = ? AND project = ?", s.source(), s.project());
            Database.update(c, "INSERT INTO microdraw_sources (source, project, series_id, slice_names) VALUES (?, ?, ?, ?)",
                    s.source(), s.project(), s.seriesId(), s.sliceNames());
            return null;
        });
    }

    /** The series a source names for a project, falling back to the one recorded for any project. */
    public Optional<Source> source(String source, String project) {
        return db.read(c -> {
            Optional<Source> exact = Database.one(c, "SELECT source, project, series_id, slice_names FROM microdraw_sources "
                    + "WHERE source = ? AND project = ?", MicroDrawStore::source, source, project == null ? "" : project);
            return exact.isPresent() ? exact : Database.one(c, "SELECT source, project, series_id, slice_names FROM microdraw_sources "
                    + "WHERE source = ? ORDER BY project", MicroDrawStore::source, source);
        });
    }

    public List<Item> items(long sliceId) {
        return db.read(c -> Database.list(c, "SELECT slice_id, uid, annotation, username, updated_at FROM microdraw_items "
                + "WHERE slice_id = ? ORDER BY updated_at, uid", MicroDrawStore::item, sliceId));
    }

    /** Adds or replaces a line or text, in the caller's transaction. */
    public static void put(Connection c, Item item) throws SQLException {
        Database.update(c, "DELETE FROM microdraw_items WHERE slice_id = ? AND uid = ?", item.sliceId(), item.uid());
        Database.update(c, "INSERT INTO microdraw_items (slice_id, uid, annotation, username, updated_at) VALUES (?, ?, ?, ?, ?)",
                item.sliceId(), item.uid(), item.annotation(), item.username(), item.updatedAt());
    }

    /** Removes a line or text, in the caller's transaction; true when there was one. */
    public static boolean remove(Connection c, long sliceId, String uid) throws SQLException {
        return Database.update(c, "DELETE FROM microdraw_items WHERE slice_id = ? AND uid = ?", sliceId, uid) > 0;
    }

    /** Runs work in one transaction (for saves that touch only lines and texts). */
    public <T> T transaction(Database.Work<T> work) {
        return db.transaction(work);
    }

    /** A region's earlier state, for MicroDraw's backups. */
    public record PastVersion(long regionId, int version, String className, String geometry, String provenance, long time) {
    }

    /**
     * Every state the slice's regions of {@code layer} had that is no longer current (earlier
     * versions, and the last state of deleted regions), oldest first.
     */
    public void pastVersions(long sliceId, String layer, Consumer<PastVersion> sink) {
        db.streamingRead(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT e.region_id, e.version, e.class_name, e.geometry, e.provenance, "
                    + "e.created_at FROM region_events e LEFT JOIN regions r ON r.id = e.region_id WHERE e.slice_id = ? AND e.layer = ? "
                    + "AND e.op <> 'delete' AND (r.id IS NULL OR r.version <> e.version) ORDER BY e.id")) {
                ps.setFetchSize(1000);
                Database.bind(ps, sliceId, layer);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new PastVersion(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getLong(6)));
                    }
                }
            }
            return null;
        });
    }

    private static Source source(ResultSet rs) throws SQLException {
        return new Source(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4));
    }

    private static Item item(ResultSet rs) throws SQLException {
        return new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
    }
}
