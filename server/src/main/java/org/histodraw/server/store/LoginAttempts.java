package org.histodraw.server.store;

/**
 * Login attempts by bucket ({@code account:NAME}, {@code address:IP}), with their times, for the
 * login throttle: in the database so that every server instance counts the same attempts.
 */
public final class LoginAttempts {
    private final Database db;

    public LoginAttempts(Database db) {
        this.db = db;
    }

    /** How many attempts the bucket has since {@code since}, and the oldest of them (0 when none). */
    public record Count(long attempts, long oldest) {
    }

    public Count since(String bucket, long since) {
        return db.read(c -> Database.one(c, "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_attempts WHERE bucket = ? AND at > ?",
                rs -> new Count(rs.getLong(1), rs.getLong(2)), bucket, since).orElse(new Count(0, 0)));
    }

    /** Records an attempt, dropping what has left every window ({@code olderThan}). */
    public void record(String bucket, long at, long olderThan) {
        db.transaction(c -> {
            Database.update(c, "DELETE FROM login_attempts WHERE at < ?", olderThan);
            return Database.update(c, "INSERT INTO login_attempts (bucket, at) VALUES (?, ?)", bucket, at);
        });
    }

    /** Forgets a bucket's attempts (an account's failures after a successful login). */
    public void clear(String bucket) {
        db.transaction(c -> Database.update(c, "DELETE FROM login_attempts WHERE bucket = ?", bucket));
    }
}
