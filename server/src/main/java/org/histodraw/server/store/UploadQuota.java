package org.histodraw.server.store;

/**
 * How many uploads a user has waiting or being ingested, so that one user cannot fill the ingest
 * queue (and the upload folder) alone. Counted in the database, so every instance counts the same.
 */
public final class UploadQuota {
    private final Database db;

    public UploadQuota(Database db) {
        this.db = db;
    }

    /** The user's ingest jobs still running (waiting included). */
    public long active(long userId) {
        return db.read(c -> Database.one(c, "SELECT COUNT(*) FROM ingest_jobs WHERE user_id = ? AND state = ?",
                rs -> rs.getLong(1), userId, IngestJobStore.RUNNING).orElse(0L));
    }

    /** Records whose upload a job is. */
    public void owner(String jobId, long userId) {
        db.transaction(c -> Database.update(c, "UPDATE ingest_jobs SET user_id = ? WHERE id = ?", userId, jobId));
    }
}
