package org.histodraw.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Users, browser sessions and API tokens. Passwords arrive here already hashed. */
public final class Accounts {
    private final Database db;

    public Accounts(Database db) {
        this.db = db;
    }

    public User createUser(String username, String passwordHash, boolean admin) {
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("username must be 1-64 letters, digits or ._@- : " + username);
        }
        return db.transaction(c -> {
            if (Database.one(c, "SELECT id FROM users WHERE username = ?", rs -> rs.getLong(1), username).isPresent()) {
                throw new Conflict("username already taken: " + username);
            }
            long id = Database.insert(c, "INSERT INTO users (username, password_hash, admin, created_at) VALUES (?, ?, ?, ?)",
                    username, passwordHash, admin, System.currentTimeMillis());
            return new User(id, username, admin);
        });
    }

    public long userCount() {
        return db.read(c -> Database.one(c, "SELECT COUNT(*) FROM users", rs -> rs.getLong(1)).orElse(0L));
    }

    public Optional<User> user(long id) {
        return db.read(c -> Database.one(c, "SELECT id, username, admin FROM users WHERE id = ?", Accounts::user, id));
    }

    public Optional<User> userByName(String username) {
        return db.read(c -> Database.one(c, "SELECT id, username, admin FROM users WHERE username = ?", Accounts::user, username));
    }

    public List<User> users() {
        return db.read(c -> Database.list(c, "SELECT id, username, admin FROM users ORDER BY username", Accounts::user));
    }

    /** The stored password hash of a user, for checking a login. */
    public Optional<String> passwordHash(long userId) {
        return db.read(c -> Database.one(c, "SELECT password_hash FROM users WHERE id = ?", rs -> rs.getString(1), userId));
    }

    public void setPasswordHash(long userId, String hash) {
        db.transaction(c -> Database.update(c, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userId));
    }

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

    public Optional<Session> session(String tokenHash) {
        return db.read(c -> Database.one(c, "SELECT token_hash, user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ?",
                rs -> new Session(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)), tokenHash))
                .filter(s -> s.expiresAt() > System.currentTimeMillis());
    }

    public void deleteSession(String tokenHash) {
        db.transaction(c -> Database.update(c, "DELETE FROM sessions WHERE token_hash = ?", tokenHash));
    }

    public ApiToken createToken(long projectId, String name, Set<ApiToken.Scope> scopes, long createdBy, String tokenHash) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("token name must be 1-200 characters: " + name);
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("token needs at least one scope (read, write)");
        }
        String scopeText = scopes.stream().map(ApiToken.Scope::wire).sorted().collect(Collectors.joining(","));
        long id = db.transaction(c -> Database.insert(c,
                "INSERT INTO api_tokens (project_id, name, token_hash, scopes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                projectId, name, tokenHash, scopeText, createdBy, System.currentTimeMillis()));
        return new ApiToken(id, projectId, name, Set.copyOf(scopes), createdBy);
    }

    public Optional<ApiToken> token(String tokenHash) {
        return db.read(c -> Database.one(c,
                "SELECT id, project_id, name, scopes, created_by FROM api_tokens WHERE token_hash = ? AND NOT revoked",
                Accounts::token, tokenHash));
    }

    public List<ApiToken> tokens(long projectId) {
        return db.read(c -> Database.list(c,
                "SELECT id, project_id, name, scopes, created_by FROM api_tokens WHERE project_id = ? AND NOT revoked ORDER BY id",
                Accounts::token, projectId));
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        Set<ApiToken.Scope> scopes = EnumSet.noneOf(ApiToken.Scope.class);
        for (String s : rs.getString(4).split(",")) {
            scopes.add(ApiToken.Scope.parse(s));
        }
        return new ApiToken(rs.getLong(1), rs.getLong(2), rs.getString(3), Set.copyOf(scopes), rs.getLong(5));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getBoolean(3));
    }

}
