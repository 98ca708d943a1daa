package org.histodraw.server.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.histodraw.server.store.Accounts;
import org.histodraw.server.store.ApiToken;
import org.histodraw.server.store.Broadcast;
import org.histodraw.server.store.Secrets;
import org.histodraw.server.store.Session;
import org.histodraw.server.store.User;

/**
 * Turns request credentials into a {@link Principal}: {@code Authorization: Bearer <token>} for
 * services, or the session cookie for browsers. A bearer token that is wrong fails (401) rather
 * than falling back to anonymous, so a misconfigured service hears about it.
 *
 * <p>Sessions and tokens live in the database. What was looked up is kept for at most
 * {@value #CACHE_MILLIS} ms and dropped at once when this instance, or another one on the same
 * database (told by a {@link Broadcast} notice), revokes a token, logs out, or disables, deletes or
 * resets a user; listeners ({@link #onChange}) then re-check what they let in (open websockets).
 *
 * <p>CSRF: requests authenticated by the cookie that change things (POST, PUT, PATCH, DELETE)
 * must echo the session's CSRF token in {@value #CSRF_HEADER}; bearer tokens are not sent by
 * browsers on their own, so they need none.
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "histodraw_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String TOKEN_PREFIX = "hdt_";
    static final long CACHE_MILLIS = 10_000;
    /** A token's last use is written at most this often. */
    static final long TOUCH_MILLIS = 60_000;

    private record Cached(Principal principal, long until) {
    }

    /** A token just made: its secret (shown once) and what it is. */
    public record Issued(String secret, ApiToken token) {
    }

    static final String TOKEN_NOTICE = "token-revoked";
    static final String USER_NOTICE = "user-changed";
    static final String SESSION_NOTICE = "session-ended";

    private final Accounts accounts;
    private final Broadcast broadcast;
    private final long sessionMillis;
    private final Map<String, Cached> sessions = new ConcurrentHashMap<>();
    private final Map<String, Cached> tokens = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /**
     * With the other server instances on the database: what one of them revokes or ends is dropped
     * here too, at once (the {@value #CACHE_MILLIS} ms bound stays for a notice that got lost).
     */
    public Authenticator(Accounts accounts, long sessionMillis, Broadcast broadcast) {
        this.accounts = accounts;
        this.sessionMillis = sessionMillis;
        this.broadcast = broadcast;
        broadcast.on(TOKEN_NOTICE, n -> forgetToken(n.path("t").asLong()));
        broadcast.on(USER_NOTICE, n -> forgetUserHere(n.path("u").asLong()));
        broadcast.on(SESSION_NOTICE, n -> {
            sessions.remove(n.path("h").asText());
            changed();
        });
    }

    /**
     * The principal for a request's credentials.
     *
     * @param authorization the Authorization header (null when absent)
     * @param cookie        the session cookie's value (null when absent)
     * @param bearerParam   a token given as {@code access_token} query parameter (websockets only; else null)
     */
    public Principal authenticate(String authorization, String cookie, String bearerParam) {
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new NotAuthenticated("Authorization header must be \"Bearer <API token>\"");
            }
            return byToken(authorization.substring(7).strip());
        }
        if (bearerParam != null) {
            return byToken(bearerParam);
        }
        if (cookie != null && !cookie.isEmpty()) {
            return bySession(cookie).orElse(Principal.ANONYMOUS);
        }
        return Principal.ANONYMOUS;
    }

    /** Checks the CSRF header of an unsafe request; a no-op for tokens and anonymous requests. */
    public void checkCsrf(Principal p, String method, String header) {
        boolean unsafe = !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
        if (unsafe && p.session() != null && !Secrets.sameSecret(header, p.session().csrfToken())) {
            throw new Forbidden("missing or wrong " + CSRF_HEADER + " header (send the csrfToken from login or GET /api/v1/me)");
        }
    }

    private Principal byToken(String token) {
        if (token.isEmpty()) {
            throw new NotAuthenticated("empty API token");
        }
        String hash = Secrets.sha256(token);
        long now = System.currentTimeMillis();
        Cached cached = tokens.get(hash);
        if (cached != null && cached.until() > now && stillValid(cached.principal().token(), now)) {
            return cached.principal();
        }
        Optional<ApiToken> t = accounts.activeToken(hash);
        Optional<User> user = t.flatMap(x -> accounts.user(x.createdBy())).filter(u -> !u.disabled());
        if (t.isEmpty() || user.isEmpty()) {
            tokens.remove(hash);
            throw new NotAuthenticated("unknown, expired or revoked API token");
        }
        if (t.get().lastUsedAt() == null || now - t.get().lastUsedAt() > TOUCH_MILLIS) {
            accounts.touchToken(t.get().id(), now);
        }
        Principal p = new Principal(user.get(), null, t.get());
        tokens.put(hash, new Cached(p, now + CACHE_MILLIS));
        return p;
    }

    private static boolean stillValid(ApiToken t, long now) {
        return t.expiresAt() == null || t.expiresAt() > now;
    }

    private Optional<Principal> bySession(String cookie) {
        String hash = Secrets.sha256(cookie);
        long now = System.currentTimeMillis();
        Cached cached = sessions.get(hash);
        if (cached != null && cached.until() > now && cached.principal().session().expiresAt() > now) {
            return Optional.of(cached.principal());
        }
        sessions.remove(hash);
        Optional<Session> s = accounts.session(hash);
        Optional<User> user = s.flatMap(x -> accounts.user(x.userId())).filter(u -> !u.disabled());
        if (s.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        Principal p = new Principal(user.get(), s.get(), null);
        sessions.put(hash, new Cached(p, now + CACHE_MILLIS));
        return Optional.of(p);
    }

    /** Starts a session; returns the cookie value (the only copy of the secret) and the session. */
    public Map.Entry<String, Session> login(User user) {
        String cookie = Secrets.newToken("");
        String csrf = Secrets.newToken("");
        Session s = accounts.createSession(Secrets.sha256(cookie), user.id(), csrf, sessionMillis);
        return Map.entry(cookie, s);
    }

    /** How long a login lasts, in milliseconds. */
    public long sessionMillis() {
        return sessionMillis;
    }

    public void logout(Principal p) {
        if (p.session() != null) {
            sessions.remove(p.session().tokenHash());
            accounts.deleteSession(p.session().tokenHash());
            changed();
            broadcast.publish(Broadcast.notice(SESSION_NOTICE).put("h", p.session().tokenHash()));
        }
    }

    /** Makes a token; its secret is in the answer and nowhere else. */
    public Issued issue(Accounts.NewToken token) {
        String secret = Secrets.newToken(TOKEN_PREFIX);
        return new Issued(secret, accounts.createToken(token, Secrets.sha256(secret)));
    }

    /** Revokes a token (and the job tokens minted from it) at once. */
    public boolean revoke(long tokenId) {
        boolean was = accounts.revokeToken(tokenId);
        forgetToken(tokenId);
        broadcast.publish(Broadcast.notice(TOKEN_NOTICE).put("t", tokenId));
        return was;
    }

    private void forgetToken(long tokenId) {
        forget(tokens, p -> p.token().id() == tokenId || tokenId == nullToZero(p.token().parentId()));
        changed();
    }

    /**
     * Drops what is known about a user's sessions and tokens, after they were disabled, deleted,
     * given a new password or lost a membership; open websockets are re-checked.
     */
    public void forgetUser(long userId) {
        forgetUserHere(userId);
        broadcast.publish(Broadcast.notice(USER_NOTICE).put("u", userId));
    }

    private void forgetUserHere(long userId) {
        forget(sessions, p -> p.userId() == userId);
        forget(tokens, p -> p.userId() == userId);
        changed();
    }

    /** Registers work to run after credentials were revoked (each listener re-checks what it let in). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private static void forget(Map<String, Cached> cache, Predicate<Principal> which) {
        cache.values().removeIf(c -> which.test(c.principal()));
    }

    private static long nullToZero(Long v) {
        return v == null ? 0 : v;
    }
}
