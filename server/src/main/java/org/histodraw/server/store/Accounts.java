package org.histodraw.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Users, browser sessions and API tokens, all in the database (so every server instance, and a
 * restart, sees the same). Passwords arrive here already hashed; sessions and tokens only as their
 * SHA-256 hashes.
 *
 * <p>A session or token works only while its user is neither disabled nor deleted; a token also
 * only until it expires or is revoked, and a job token only while the token it was minted from is
 * not revoked. Disabling or deleting a user ends their sessions and revokes their tokens in the
 * same transaction.
 */
public final class Accounts {
    private static final String USER_COLUMNS = "id, username, admin, disabled";
    private static final String TOKEN_COLUMNS = "t.id, t.project_id, t.name, t.scopes, t.created_by, t.kind, t.created_at, "
            + "t.expires_at, t.last_used_at, t.parent_id";
    private final Database db;

    public Accounts(Database db) {
        this.db = db;
    }

    // ---- users

    public User createUser(String username, String passwordHash, boolean admin) {
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new InvalidInput("username must be 1-64 letters, digits or ._@- : " + username);
        }
        return db.transaction(c -> {
            if (Database.one(c, "SELECT id FROM users WHERE username = ?", rs -> rs.getLong(1), username).isPresent()) {
                throw new Conflict("username already taken: " + username);
            }
            long id = Database.insert(c, "INSERT INTO users (username, password_hash, admin, created_at) VALUES (?, ?, ?, ?)",
                    username, passwordHash, admin, System.currentTimeMillis());
            return new User(id, username, admin, false);
        });
    }

    public long userCount() {
        return db.read(c -> Database.one(c, "SELECT COUNT(*) FROM users", rs -> rs.getLong(1)).orElse(0L));
    }

    /** A user that is not deleted (disabled ones included). */
    public Optional<User> user(long id) {
        return db.read(c -> Database.one(c, "SELECT " + USER_COLUMNS + " FROM users WHERE id = ? AND deleted_at IS NULL",
                Accounts::user, id));
    }

    /** A user that is not deleted, by name. */
    public Optional<User> userByName(String username) {
        return db.read(c -> Database.one(c, "SELECT " + USER_COLUMNS + " FROM users WHERE username = ? AND deleted_at IS NULL",
                Accounts::user, username));
    }

    /** Users that are not deleted, by name. */
    public List<User> users() {
        return db.read(c -> Database.list(c, "SELECT " + USER_COLUMNS + " FROM users WHERE deleted_at IS NULL ORDER BY username",
                Accounts::user));
    }

    /** Administrators that can still log in. */
    public long activeAdmins() {
        return db.read(c -> Database.one(c, "SELECT COUNT(*) FROM users WHERE admin AND NOT disabled AND deleted_at IS NULL",
                rs -> rs.getLong(1)).orElse(0L));
    }

    /** The stored password hash of a user, for checking a login. */
    public Optional<String> passwordHash(long userId) {
        return db.read(c -> Database.one(c, "SELECT password_hash FROM users WHERE id = ?", rs -> rs.getString(1), userId));
    }

    /** Sets a new password and ends the user's sessions, except {@code keepSessionHash} (may be null). */
    public void setPasswordHash(long userId, String hash, String keepSessionHash) {
        db.transaction(c -> {
            Database.update(c, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userId);
            return Database.update(c, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", userId,
                    keepSessionHash == null ? "" : keepSessionHash);
        });
    }

    public void setAdmin(long userId, boolean admin) {
        db.transaction(c -> Database.update(c, "UPDATE users SET admin = ? WHERE id = ?", admin, userId));
    }

    /** Disables (ending sessions, revoking tokens) or enables again an account. */
    public void setDisabled(long userId, boolean disabled) {
        db.transaction(c -> {
            Database.update(c, "UPDATE users SET disabled = ? WHERE id = ?", disabled, userId);
            if (disabled) {
                cutOff(c, userId);
            }
            return null;
        });
    }

    /**
     * Deletes an account: it can no longer log in, its sessions end, its tokens are revoked and it
     * leaves every project. The row stays so that its name keeps showing in the history (and nobody
     * can take that name to pass for them).
     */
    public void deleteUser(long userId) {
        db.transaction(c -> {
            Database.update(c, "UPDATE users SET deleted_at = ?, disabled = TRUE, admin = FALSE WHERE id = ?",
                    System.currentTimeMillis(), userId);
            cutOff(c, userId);
            return Database.update(c, "DELETE FROM members WHERE user_id = ?", userId);
        });
    }

    private static void cutOff(Connection c, long userId) throws SQLException {
        long now = System.currentTimeMillis();
        Database.update(c, "DELETE FROM sessions WHERE user_id = ?", userId);
        Database.update(c, "UPDATE api_tokens SET revoked = TRUE, revoked_at = ? WHERE created_by = ? AND NOT revoked", now, userId);
    }

    // ---- sessions

    /** Records a session; returns it (the caller keeps the cookie token, only its hash is stored). */
    public Session createSession(String tokenHash, long userId, String csrfToken, long ttlMillis) {
        long now = System.currentTimeMillis();
        Session s = new Session(tokenHash, userId, csrfToken, now + ttlMillis);
        db.transaction(c -> {
            Database.update(c, "DELETE FROM sessions WHERE expires_at < ?", now);
            return Database.update(c, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                    tokenHash, userId, csrfToken, now, s.expiresAt());
        });
        return s;
    }

    /** A session that has not expired, of a user who may log in. */
    public Optional<Session> session(String tokenHash) {
        return db.read(c -> Database.one(c, "SELECT s.token_hash, s.user_id, s.csrf_token, s.expires_at FROM sessions s "
                        + "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled "
                        + "AND u.deleted_at IS NULL",
                rs -> new Session(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)), tokenHash,
                System.currentTimeMillis()));
    }

    public void deleteSession(String tokenHash) {
        db.transaction(c -> Database.update(c, "DELETE FROM sessions WHERE token_hash = ?", tokenHash));
    }

    /** Ends every session of a user; returns how many there were. */
    public int deleteSessionsOf(long userId) {
        return db.transaction(c -> Database.update(c, "DELETE FROM sessions WHERE user_id = ?", userId));
    }

    // ---- tokens

    /** What a new token is: its project, name, scopes, maker, kind, expiry (null: never) and parent (null: none). */
    public record NewToken(long projectId, String name, Set<ApiToken.Scope> scopes, long createdBy, ApiToken.Kind kind,
                           Long expiresAt, Long parentId) {
    }

    public ApiToken createToken(NewToken t, String tokenHash) {
        if (t.name() == null || t.name().isBlank() || t.name().length() > 200) {
            throw new InvalidInput("token name must be 1-200 characters: " + t.name());
        }
        if (t.scopes().isEmpty()) {
            throw new InvalidInput("token needs at least one scope (read, write)");
        }
        long now = System.currentTimeMillis();
        if (t.expiresAt() != null && t.expiresAt() <= now) {
            throw new InvalidInput("a token's expiry must lie in the future");
        }
        String scopeText = t.scopes().stream().map(ApiToken.Scope::wire).sorted().collect(Collectors.joining(","));
        long id = db.transaction(c -> Database.insert(c,
                "INSERT INTO api_tokens (project_id, name, token_hash, scopes, created_by, created_at, kind, expires_at, parent_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.projectId(), t.name(), tokenHash, scopeText, t.createdBy(), now, t.kind().wire(), t.expiresAt(), t.parentId()));
        return new ApiToken(id, t.projectId(), t.name(), Set.copyOf(t.scopes()), t.createdBy(), t.kind(), now, t.expiresAt(),
                null, t.parentId());
    }

    /**
     * A token that works now: not revoked, not expired, minted from a token that is not revoked,
     * made by a user who may log in.
     */
    public Optional<ApiToken> activeToken(String tokenHash) {
        return db.read(c -> Database.one(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens t JOIN users u ON u.id = t.created_by "
                        + "LEFT JOIN api_tokens p ON p.id = t.parent_id WHERE t.token_hash = ? AND " + ACTIVE,
                Accounts::token, tokenHash, System.currentTimeMillis()));
    }

    private static final String ACTIVE = "NOT t.revoked AND (t.expires_at IS NULL OR t.expires_at > ?) "
            + "AND (p.id IS NULL OR NOT p.revoked) AND NOT u.disabled AND u.deleted_at IS NULL";

    /** The project's tokens that work now, oldest first. */
    public List<ApiToken> tokens(long projectId) {
        return db.read(c -> Database.list(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens t JOIN users u ON u.id = t.created_by "
                        + "LEFT JOIN api_tokens p ON p.id = t.parent_id WHERE t.project_id = ? AND " + ACTIVE + " ORDER BY t.id",
                Accounts::token, projectId, System.currentTimeMillis()));
    }

    /** Any token of the project by id (revoked and expired ones too). */
    public Optional<ApiToken> token(long projectId, long tokenId) {
        return db.read(c -> Database.one(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens t WHERE t.id = ? AND t.project_id = ?",
                Accounts::token, tokenId, projectId));
    }

    /** Revokes a token and the job tokens minted from it; true when it was active. */
    public boolean revokeToken(long tokenId) {
        long now = System.currentTimeMillis();
        return db.transaction(c -> {
            int n = Database.update(c, "UPDATE api_tokens SET revoked = TRUE, revoked_at = ? WHERE id = ? AND NOT revoked", now, tokenId);
            Database.update(c, "UPDATE api_tokens SET revoked = TRUE, revoked_at = ? WHERE parent_id = ? AND NOT revoked", now, tokenId);
            return n > 0;
        });
    }

    /** Records that a token was used (callers do it at most once a minute per token). */
    public void touchToken(long tokenId, long when) {
        db.transaction(c -> Database.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", when, tokenId));
    }

    /**
     * Revokes, in the same transaction as {@code c}, the tokens a user made for a project: a token
     * dies with its maker's membership.
     */
    static void revokeTokensOf(Connection c, long userId, long projectId) throws SQLException {
        Database.update(c, "UPDATE api_tokens SET revoked = TRUE, revoked_at = ? WHERE created_by = ? AND project_id = ? "
                + "AND NOT revoked", System.currentTimeMillis(), userId, projectId);
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        Set<ApiToken.Scope> scopes = EnumSet.noneOf(ApiToken.Scope.class);
        for (String s : rs.getString(4).split(",")) {
            scopes.add(ApiToken.Scope.parse(s));
        }
        return new ApiToken(rs.getLong(1), rs.getLong(2), rs.getString(3), Set.copyOf(scopes), rs.getLong(5),
                ApiToken.Kind.parse(rs.getString(6)), rs.getLong(7), (Long) rs.getObject(8, Long.class),
                (Long) rs.getObject(9, Long.class), (Long) rs.getObject(10, Long.class));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4));
    }
}
