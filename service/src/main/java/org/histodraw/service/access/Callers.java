package org.histodraw.service.access;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.histodraw.client.ServerClient;
import org.histodraw.client.ServerException;
import org.histodraw.service.errors.ClientError;

/**
 * Who a request comes from, as the annotation server says: the bearer token is checked with
 * {@code GET /api/v1/me} (made with that very token), which names its user, its project and the
 * role it acts with now. The answer is kept for {@value #CACHE_MILLIS} ms (so a token revoked on
 * the server stops working here within that time; everything the service does on the server is
 * checked there again). No token, or one the server refuses: 401. A browser session is not a
 * token (the service has no cookies of the server).
 */
public final class Callers {
    static final long CACHE_MILLIS = 15_000;
    private static final int CACHE_SIZE = 1000;

    private record Known(Caller caller, long until) {
    }

    private final ServerClient server;
    private final Map<String, Known> known = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public Callers(ServerClient server) {
        this.server = server;
    }

    /** The caller of a request with this Authorization header; 401 without a token the server accepts. */
    public Caller of(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ClientError.unauthorized("send a token of the annotation server as Authorization: Bearer <token> (a project's "
                    + "API token, or a service token the viewer gets from POST /api/v1/auth/service-token)");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() > 7 + 200) {
            throw ClientError.unauthorized("the Authorization header must be \"Bearer <token>\"");
        }
        String token = authorization.substring(7).strip();
        String key = sha256(token);
        long now = System.currentTimeMillis();
        synchronized (known) {
            Known k = known.get(key);
            if (k != null && k.until() > now) {
                return k.caller();
            }
        }
        Caller caller = check(token);
        synchronized (known) {
            known.put(key, new Known(caller, now + CACHE_MILLIS));
        }
        return caller;
    }

    /** Forgets a token at once (the service revoked it: a job's token at the job's end). */
    public void forget(String token) {
        synchronized (known) {
            known.remove(sha256(token));
        }
    }

    private Caller check(String token) {
        JsonNode me;
        try {
            me = server.withToken(token).me();
        } catch (ServerException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw ClientError.unauthorized("the annotation server does not accept this token: " + e.getMessage());
            }
            throw new ClientError(502, "cannot check the token with the annotation server: " + e.getMessage());
        }
        JsonNode t = me.path("token");
        if (!t.isObject()) {
            throw ClientError.unauthorized("send a token of a project, not a session");
        }
        String role = t.path("role").asText("");
        if (role.isEmpty() || role.equals("null")) {
            throw ClientError.forbidden("the token's maker is no longer a member of project " + t.path("projectId").asLong());
        }
        boolean write = t.path("scopes").toString().contains("\"write\"") && !role.equals("viewer");
        return new Caller(token, me.path("user").path("id").asLong(), me.path("user").path("username").asText(),
                t.path("projectId").asLong(), write);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
