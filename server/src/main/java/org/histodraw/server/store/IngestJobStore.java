package org.histodraw.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Ingest jobs in the database, so that their outcome survives a restart, and so that the server
 * instances sharing a database share the work: a job belongs to the instance that made it
 * ({@code claimed_by}); when that instance dies (its heartbeat in {@link Instances} stops), another
 * one takes the job over with {@link #claimAbandoned}, a {@code SELECT ... FOR UPDATE SKIP LOCKED}
 * that hands each abandoned job to exactly one instance.
 */
public final class IngestJobStore {
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    private static final String COLUMNS = "id, series_id, project_id, name, state, progress, message, slice_id, storage_key, upload_file";

    private final Database db;

    public IngestJobStore(Database db) {
        this.db = db;
    }

    /**
     * What a job builds from, kept so that another instance can run it again: {@code file} relative
     * to the slides folder (or absolute when {@code linked}), and what the upload asked for.
     */
    public record Source(String file, boolean linked, Double position, Double micronsPerPixel) {
    }

    /** A job taken over from a dead instance: its record, its source (null for jobs that kept none) and how many instances have tried it. */
    public record Claimed(IngestJobRecord job, Source source, int attempts) {
    }

    public IngestJobRecord create(String id, long seriesId, long projectId, String name, String storageKey, String uploadFile) {
        return create(id, seriesId, projectId, name, storageKey, uploadFile, null);
    }

    /** Records a new job, claimed by this instance, which runs it. */
    public IngestJobRecord create(String id, long seriesId, long projectId, String name, String storageKey, String uploadFile,
                                  Source source) {
        long now = System.currentTimeMillis();
        db.transaction(c -> Database.update(c, "INSERT INTO ingest_jobs (" + COLUMNS + ", created_at, updated_at, claimed_by, attempts, "
                        + "source, linked, slice_position, microns_per_pixel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                id, seriesId, projectId, name, RUNNING, 0.0, "queued", null, storageKey, uploadFile, now, now, db.instanceId(),
                source == null ? null : source.file(), source != null && source.linked(), source == null ? null : source.position(),
                source == null ? null : source.micronsPerPixel()));
        return new IngestJobRecord(id, seriesId, projectId, name, RUNNING, 0, "queued", null, storageKey, uploadFile);
    }

    /**
     * Takes over the oldest running job whose instance is dead (no heartbeat for
     * {@link Instances#LEASE}) or gone, for this instance; empty when there is none. Two instances
     * asking at once get different jobs: the row is locked and the others skip it.
     */
    public Optional<Claimed> claimAbandoned() {
        long now = System.currentTimeMillis();
        long aliveSince = now - Instances.LEASE.toMillis();
        return db.transaction(c -> {
            Optional<Claimed> found = Database.one(c, "SELECT " + COLUMNS + ", source, linked, slice_position, microns_per_pixel, attempts "
                    + "FROM ingest_jobs WHERE state = ? AND (claimed_by IS NULL OR claimed_by NOT IN "
                    + "(SELECT id FROM server_instances WHERE heartbeat_at >= ?)) ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                    rs -> {
                        String file = rs.getString(11);
                        double position = rs.getDouble(13);
                        Double pos = rs.wasNull() ? null : position;
                        double mpp = rs.getDouble(14);
                        Double pixel = rs.wasNull() ? null : mpp;
                        return new Claimed(record(rs), file == null ? null : new Source(file, rs.getBoolean(12), pos, pixel),
                                rs.getInt(15) + 1);
                    }, RUNNING, aliveSince);
            if (found.isPresent()) {
                Database.update(c, "UPDATE ingest_jobs SET claimed_by = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?",
                        db.instanceId(), now, found.get().job().id());
            }
            return found;
        });
    }

    /** This server instance, as it claims jobs. */
    public String instance() {
        return db.instanceId();
    }

    /**
     * Whether the job is still this instance's: an instance taken for dead (a long pause) may
     * still be at work on a job another has taken over, and must then neither record nor delete.
     */
    public boolean claimedBy(String jobId, String instance) {
        return db.read(c -> Database.one(c, "SELECT COALESCE(claimed_by, '') FROM ingest_jobs WHERE id = ?", rs -> rs.getString(1), jobId))
                .map(instance::equals).orElse(false);
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
