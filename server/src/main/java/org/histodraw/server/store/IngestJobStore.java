package org.histodraw.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Ingest jobs in the database, so that their outcome survives a restart. */
public final class IngestJobStore {
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    private static final String COLUMNS = "id, series_id, project_id, name, state, progress, message, slice_id, storage_key, upload_file";

    private final Database db;

    public IngestJobStore(Database db) {
        this.db = db;
    }

    public IngestJobRecord create(String id, long seriesId, long projectId, String name, String storageKey, String uploadFile) {
        long now = System.currentTimeMillis();
        db.transaction(c -> Database.update(c, "INSERT INTO ingest_jobs (" + COLUMNS + ", created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, seriesId, projectId, name, RUNNING, 0.0, "queued", null, storageKey, uploadFile, now, now));
        return new IngestJobRecord(id, seriesId, projectId, name, RUNNING, 0, "queued", null, storageKey, uploadFile);
    }

    public Optional<IngestJobRecord> job(String id) {
        return db.read(c -> Database.one(c, "SELECT " + COLUMNS + " FROM ingest_jobs WHERE id = ?", IngestJobStore::record, id));
    }

    public List<IngestJobRecord> running() {
        return db.read(c -> Database.list(c, "SELECT " + COLUMNS + " FROM ingest_jobs WHERE state = ? ORDER BY created_at",
                IngestJobStore::record, RUNNING));
    }

    public void progress(String id, double progress, String message) {
        db.transaction(c -> Database.update(c, "UPDATE ingest_jobs SET progress = ?, message = ?, updated_at = ? WHERE id = ? AND state = ?",
                progress, clip(message), System.currentTimeMillis(), id, RUNNING));
    }

    public void done(String id, long sliceId) {
        db.transaction(c -> Database.update(c, "UPDATE ingest_jobs SET state = ?, progress = 1, message = 'done', slice_id = ?, "
                + "updated_at = ? WHERE id = ?", DONE, sliceId, System.currentTimeMillis(), id));
    }

    public void failed(String id, String message) {
        db.transaction(c -> Database.update(c, "UPDATE ingest_jobs SET state = ?, message = ?, updated_at = ? WHERE id = ?",
                FAILED, clip(message), System.currentTimeMillis(), id));
    }

    /** The slice recorded for a pyramid folder, if any (a job may have stopped just after recording it). */
    public Optional<Long> sliceWithStorageKey(String storageKey) {
        return db.read(c -> Database.one(c, "SELECT id FROM slices WHERE storage_key = ?", rs -> rs.getLong(1), storageKey));
    }

    private static String clip(String message) {
        String m = message == null ? "failed" : message;
        return m.length() > 2000 ? m.substring(0, 1997) + "..." : m;
    }

    private static IngestJobRecord record(ResultSet rs) throws SQLException {
        long slice = rs.getLong(8);
        Long sliceId = rs.wasNull() ? null : slice;
        return new IngestJobRecord(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getDouble(6), rs.getString(7), sliceId, rs.getString(9), rs.getString(10));
    }
}
