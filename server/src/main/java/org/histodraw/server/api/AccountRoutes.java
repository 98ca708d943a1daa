package org.histodraw.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Session;
import org.histodraw.server.store.User;

/**
 * Login, logout, who am I, one's own password, and user administration (administrators create,
 * disable, delete users, reset their passwords and end their sessions).
 */
final class AccountRoutes {
    private final Backend b;

    AccountRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/auth/login", this::login);
        routes.post("/api/v1/auth/logout", this::logout);
        routes.get("/api/v1/me", this::me);
        routes.put("/api/v1/me/password", this::changeOwnPassword);
        routes.get("/api/v1/users", this::users);
        routes.post("/api/v1/users", this::createUser);
        routes.get("/api/v1/users/{user}", ctx -> Http.json(ctx, view(adminTarget(ctx))));
        routes.patch("/api/v1/users/{user}", this::updateUser);
        routes.delete("/api/v1/users/{user}", this::deleteUser);
        routes.put("/api/v1/users/{user}/password", this::resetPassword);
        routes.delete("/api/v1/users/{user}/sessions", this::endSessions);
    }

    /**
     * Only {@code application/json} bodies: a form of another site can post {@code text/plain}
     * without the browser asking first, and would log the victim into the attacker's account.
     */
    private void login(Context ctx) {
        String type = String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            throw new ApiError(415, "log in with Content-Type: application/json, not " + ctx.contentType());
        }
        ObjectNode body = JsonBody.object(ctx);
        String username = JsonBody.text(body, "username", true);
        String password = JsonBody.text(body, "password", true);
        if (username.length() > 64 || password.length() > 1000) {
            throw ApiError.unauthorized("wrong username or password");
        }
        b.logins().attempt(username, Http.clientAddress(ctx, b.settings().trustedProxies()));
        Optional<User> user = b.accounts().userByName(username);
        String hash = user.flatMap(u -> b.accounts().passwordHash(u.id())).orElse(null);
        if (!b.passwords().matches(password, hash) || user.isEmpty()) {
            b.logins().failed(username);
            throw ApiError.unauthorized("wrong username or password");
        }
        if (user.get().disabled()) {
            throw ApiError.forbidden("this account is disabled; ask an administrator");
        }
        b.logins().succeeded(username);
        Map.Entry<String, Session> session = b.auth().login(user.get());
        Cookie cookie = new Cookie(Authenticator.SESSION_COOKIE, session.getKey(), "/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.LAX);
        cookie.setMaxAge((int) (b.auth().sessionMillis() / 1000));
        cookie.setSecure("https".equals(ctx.scheme()));
        ctx.cookie(cookie);
        Http.json(ctx, Map.of("user", view(user.get()), "csrfToken", session.getValue().csrfToken()));
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
        out.put("user", view(p.user()));
        if (p.session() != null) {
            out.put("csrfToken", p.session().csrfToken());
        }
        if (p.token() != null) {
            Map<String, Object> token = TokenRoutes.view(p.token());
            Role role = b.access().roleIn(p, p.token().projectId());
            token.put("role", role == null ? null : role.wire());
            out.put("token", token);
        }
        Http.json(ctx, out);
    }

    /** {oldPassword, newPassword}: the user's other sessions end; this one goes on. */
    private void changeOwnPassword(Context ctx) {
        Principal p = Http.principal(ctx, b.auth());
        if (p.anonymous()) {
            throw ApiError.unauthorized("log in to change your password");
        }
        if (p.session() == null) {
            throw ApiError.forbidden("API tokens cannot change passwords; log in");
        }
        ObjectNode body = JsonBody.object(ctx);
        String old = JsonBody.text(body, "oldPassword", true);
        String fresh = JsonBody.text(body, "newPassword", true);
        b.logins().attempt(p.user().username(), Http.clientAddress(ctx, b.settings().trustedProxies()));
        if (!b.passwords().matches(old, b.accounts().passwordHash(p.userId()).orElse(null))) {
            b.logins().failed(p.user().username());
            throw ApiError.forbidden("the old password is wrong");
        }
        b.accounts().setPasswordHash(p.userId(), b.passwords().hash(fresh), p.session().tokenHash());
        b.auth().forgetUser(p.userId());
        ctx.status(204);
    }

    private void users(Context ctx) {
        requireAdmin(Http.principal(ctx, b.auth()));
        Http.json(ctx, b.accounts().users().stream().map(AccountRoutes::view).toList());
    }

    private void createUser(Context ctx) {
        requireAdmin(Http.principal(ctx, b.auth()));
        ObjectNode body = JsonBody.object(ctx);
        String username = JsonBody.text(body, "username", true);
        String password = JsonBody.text(body, "password", true);
        Boolean admin = JsonBody.bool(body, "admin");
        User user = b.accounts().createUser(username, b.passwords().hash(password), Boolean.TRUE.equals(admin));
        Http.json(ctx, 201, view(user));
    }

    /** {disabled?, admin?}: disabling ends the user's sessions and revokes their tokens at once. */
    private void updateUser(Context ctx) {
        User target = adminTarget(ctx);
        ObjectNode body = JsonBody.object(ctx);
        Boolean disabled = JsonBody.bool(body, "disabled");
        Boolean admin = JsonBody.bool(body, "admin");
        if (disabled == null && admin == null) {
            throw ApiError.badRequest("nothing to change: give \"disabled\" and/or \"admin\" (true or false)");
        }
        Principal p = Http.principal(ctx, b.auth());
        if (Boolean.TRUE.equals(disabled) || Boolean.FALSE.equals(admin)) {
            keepAnAdministrator(p, target, Boolean.TRUE.equals(disabled) ? "disable" : "demote");
        }
        if (admin != null) {
            b.accounts().setAdmin(target.id(), admin);
        }
        if (disabled != null) {
            b.accounts().setDisabled(target.id(), disabled);
        }
        b.auth().forgetUser(target.id());
        b.access().changedAll();
        Http.json(ctx, view(b.accounts().user(target.id()).orElseThrow()));
    }

    private void deleteUser(Context ctx) {
        User target = adminTarget(ctx);
        keepAnAdministrator(Http.principal(ctx, b.auth()), target, "delete");
        b.accounts().deleteUser(target.id());
        b.auth().forgetUser(target.id());
        b.access().changedAll();
        ctx.status(204);
    }

    /** {password}: the user's sessions end (their tokens go on; revoke them or disable the user for that). */
    private void resetPassword(Context ctx) {
        User target = adminTarget(ctx);
        String password = JsonBody.text(JsonBody.object(ctx), "password", true);
        b.accounts().setPasswordHash(target.id(), b.passwords().hash(password), null);
        b.auth().forgetUser(target.id());
        ctx.status(204);
    }

    private void endSessions(Context ctx) {
        User target = adminTarget(ctx);
        int ended = b.accounts().deleteSessionsOf(target.id());
        b.auth().forgetUser(target.id());
        Http.json(ctx, Map.of("ended", ended));
    }

    /** The user named in the path, after checking the caller is an administrator. */
    private User adminTarget(Context ctx) {
        requireAdmin(Http.principal(ctx, b.auth()));
        String name = ctx.pathParam("user");
        return b.accounts().userByName(name).orElseThrow(() -> ApiError.notFound("no user named " + name));
    }

    /** Administrators cannot lock themselves out, nor leave the server without an administrator. */
    private void keepAnAdministrator(Principal p, User target, String verb) {
        if (target.id() == p.userId()) {
            throw ApiError.badRequest("you cannot " + verb + " your own account; ask another administrator");
        }
        if (target.admin() && !target.disabled() && b.accounts().activeAdmins() <= 1) {
            throw ApiError.badRequest(target.username() + " is the last administrator; make another one first");
        }
    }

    static void requireAdmin(Principal p) {
        if (p.anonymous()) {
            throw ApiError.unauthorized("log in as an administrator");
        }
        if (!p.admin()) {
            throw ApiError.forbidden("only administrators may do this");
        }
    }

    static Map<String, Object> view(User u) {
        return Map.of("id", u.id(), "username", u.username(), "admin", u.admin(), "disabled", u.disabled());
    }
}
