package org.histodraw.server.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.histodraw.server.store.Accounts;
import org.histodraw.server.store.ApiToken;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Secrets;
import org.histodraw.server.store.Session;
import org.histodraw.server.store.User;

/**
 * Turns request credentials into a {@link Principal}: {@code Authorization: Bearer <token>} for
 * services, or the session cookie for browsers. A bearer token that is wrong fails (401) rather
 * than falling back to anonymous, so a misconfigured service hears about it. Sessions and tokens
 * are cached in memory after the first look-up (a lost cache costs one query).
 *
 * <p>CSRF: requests authenticated by the cookie that change things (POST, PUT, PATCH, DELETE)
 * must echo the session's CSRF token in {@value #CSRF_HEADER}; bearer tokens are not sent by
 * browsers on their own, so they need none.
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "histodraw_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String TOKEN_PREFIX = "hdt_";

    private final Accounts accounts;
    private final Map<String, Principal> sessions = new ConcurrentHashMap<>();
    private final Map<String, Principal> tokens = new ConcurrentHashMap<>();

    public Authenticator(Accounts accounts) {
        this.accounts = accounts;
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
                throw ApiError.unauthorized("Authorization header must be \"Bearer <API token>\"");
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
            throw ApiError.forbidden("missing or wrong " + CSRF_HEADER + " header (send the csrfToken from login or GET /api/v1/me)");
        }
    }

    private Principal byToken(String token) {
        if (token.isEmpty()) {
            throw ApiError.unauthorized("empty API token");
        }
        String hash = Secrets.sha256(token);
        Principal cached = tokens.get(hash);
        if (cached != null) {
            return cached;
        }
        Optional<ApiToken> t = accounts.token(hash);
        if (t.isEmpty()) {
            throw ApiError.unauthorized("unknown or revoked API token");
        }
        User user = accounts.user(t.get().createdBy()).orElseThrow(() -> ApiError.unauthorized("the token's user no longer exists"));
        Principal p = new Principal(user, null, t.get());
        tokens.put(hash, p);
        return p;
    }

    private Optional<Principal> bySession(String cookie) {
        String hash = Secrets.sha256(cookie);
        Principal cached = sessions.get(hash);
        if (cached != null) {
            if (cached.session().expiresAt() > System.currentTimeMillis()) {
                return Optional.of(cached);
            }
            sessions.remove(hash);
            return Optional.empty();
        }
        Optional<Session> s = accounts.session(hash);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> user = accounts.user(s.get().userId());
        if (user.isEmpty()) {
            return Optional.empty();
        }
        Principal p = new Principal(user.get(), s.get(), null);
        sessions.put(hash, p);
        return Optional.of(p);
    }

    /** Starts a session; returns the cookie value (the only copy of the secret) and the session. */
    public Map.Entry<String, Session> login(User user, long ttlMillis) {
        String cookie = Secrets.newToken("");
        String csrf = Secrets.newToken("");
        Session s = accounts.createSession(Secrets.sha256(cookie), user.id(), csrf, ttlMillis);
        return Map.entry(cookie, s);
    }

    public void logout(Principal p) {
        if (p.session() != null) {
            sessions.remove(p.session().tokenHash());
            accounts.deleteSession(p.session().tokenHash());
        }
    }

    /** A new API token's secret, shown once. */
    public static String newTokenSecret() {
        return Secrets.newToken(TOKEN_PREFIX);
    }

    /** Which role a token acts with. */
    public static Role roleOf(ApiToken token) {
        return token.scopes().contains(ApiToken.Scope.WRITE) ? Role.EDITOR : Role.VIEWER;
    }
}
