package org.histodraw.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.histodraw.server.Backend;
import org.histodraw.server.auth.ApiError;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Session;
import org.histodraw.server.store.User;

/** Login, logout, who am I, and user accounts (created by admins). */
final class AccountRoutes {
    private final Backend b;

    AccountRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/auth/login", this::login);
        routes.post("/api/v1/auth/logout", this::logout);
        routes.get("/api/v1/me", this::me);
        routes.get("/api/v1/users", this::users);
        routes.post("/api/v1/users", this::createUser);
    }

    private void login(Context ctx) {
        ObjectNode body = Json.object(ctx);
        String username = Json.text(body, "username", true);
        String password = Json.text(body, "password", true);
        Optional<User> user = b.accounts().userByName(username);
        String hash = user.flatMap(u -> b.accounts().passwordHash(u.id())).orElse(null);
        if (!b.passwords().matches(password, hash) || user.isEmpty()) {
            throw ApiError.unauthorized("wrong username or password");
        }
        long ttl = b.config().sessionHours() * 3_600_000L;
        Map.Entry<String, Session> session = b.auth().login(user.get(), ttl);
        Cookie cookie = new Cookie(Authenticator.SESSION_COOKIE, session.getKey(), "/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.LAX);
        cookie.setMaxAge((int) (ttl / 1000));
        cookie.setSecure("https".equals(ctx.scheme()));
        ctx.cookie(cookie);
        Http.json(ctx, Map.of("user", user(user.get()), "csrfToken", session.getValue().csrfToken()));
    }

    private void logout(Context ctx) {
        Principal p = Http.principal(ctx, b.auth());
        b.auth().logout(p);
        ctx.removeCookie(Authenticator.SESSION_COOKIE, "/");
        ctx.status(204);
    }

    private void me(Context ctx) {
        Principal p = Http.principal(ctx, b.auth());
        if (p.anonymous()) {
            throw ApiError.unauthorized("not logged in");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user(p.user()));
        if (p.session() != null) {
            out.put("csrfToken", p.session().csrfToken());
        }
        if (p.token() != null) {
            out.put("token", Map.of("id", p.token().id(), "name", p.token().name(), "projectId", p.token().projectId(),
                    "scopes", p.token().scopes().stream().map(s -> s.wire()).sorted().toList()));
        }
        Http.json(ctx, out);
    }

    private void users(Context ctx) {
        requireAdmin(Http.principal(ctx, b.auth()));
        Http.json(ctx, b.accounts().users().stream().map(AccountRoutes::user).toList());
    }

    private void createUser(Context ctx) {
        requireAdmin(Http.principal(ctx, b.auth()));
        ObjectNode body = Json.object(ctx);
        String username = Json.text(body, "username", true);
        String password = Json.text(body, "password", true);
        Boolean admin = Json.bool(body, "admin");
        User user = b.accounts().createUser(username, b.passwords().hash(password), Boolean.TRUE.equals(admin));
        Http.json(ctx, 201, user(user));
    }

    static void requireAdmin(Principal p) {
        if (p.anonymous()) {
            throw ApiError.unauthorized("log in as an administrator");
        }
        if (!p.admin()) {
            throw ApiError.forbidden("only administrators may do this");
        }
    }

    static Map<String, Object> user(User u) {
        return Map.of("id", u.id(), "username", u.username(), "admin", u.admin());
    }
}
