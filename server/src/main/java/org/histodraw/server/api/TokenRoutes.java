package org.histodraw.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Accounts;
import org.histodraw.server.store.ApiToken;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.Role;

/**
 * API tokens: a project's owner lists them (with their last use), makes them (optionally expiring)
 * and revokes them; a member mints a short-lived token for the segmentation service; a token
 * mints a job token (which outlives it, up to a day, but dies when it is revoked); a token revokes
 * itself. A token acts with its scopes, never beyond its maker's current role in the project.
 */
final class TokenRoutes {
    /** A service token minted from a login lives this long (the viewer asks for a new one before). */
    static final long SERVICE_SECONDS = 3600;
    /** A job token lives at most this long: a background job over a series must not outlive it. */
    static final long JOB_SECONDS = 24 * 3600;
    private final Backend b;

    TokenRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/projects/{p}/tokens", this::list);
        routes.post("/api/v1/projects/{p}/tokens", this::create);
        routes.delete("/api/v1/projects/{p}/tokens/{tokenId}", this::revoke);
        routes.post("/api/v1/auth/service-token", this::serviceToken);
        routes.delete("/api/v1/auth/token", this::revokeOwn);
    }

    private Project ownedProject(Context ctx) {
        long id = Http.id(ctx, "p");
        Project project = b.projects().project(id).orElseThrow(() -> ApiError.notFound("no project " + id));
        b.access().require(Http.principal(ctx, b.auth()), id, Role.OWNER);
        return project;
    }

    private void list(Context ctx) {
        Project project = ownedProject(ctx);
        Map<Long, String> names = new LinkedHashMap<>();
        Http.json(ctx, b.accounts().tokens(project.id()).stream().map(t -> {
            Map<String, Object> v = view(t);
            v.put("createdBy", names.computeIfAbsent(t.createdBy(),
                    id -> b.accounts().user(id).map(u -> u.username()).orElse(null)));
            return v;
        }).toList());
    }

    /** {name, scopes, expiresAt?}: the secret is in the answer and nowhere else. */
    private void create(Context ctx) {
        Project project = ownedProject(ctx);
        ObjectNode body = JsonBody.object(ctx);
        String name = JsonBody.text(body, "name", true);
        Set<ApiToken.Scope> scopes = scopes(body.get("scopes"));
        Long expiresAt = null;
        String expiry = JsonBody.text(body, "expiresAt", false);
        if (expiry != null) {
            try {
                expiresAt = Instant.parse(expiry).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("expiresAt must be an ISO-8601 instant such as 2027-01-31T12:00:00Z: " + expiry);
            }
        }
        Principal p = Http.principal(ctx, b.auth());
        Authenticator.Issued issued = b.auth().issue(new Accounts.NewToken(project.id(), name, scopes, p.userId(),
                ApiToken.Kind.API, expiresAt, null));
        Http.json(ctx, 201, withSecret(issued));
    }

    private void revoke(Context ctx) {
        Project project = ownedProject(ctx);
        long id = Http.id(ctx, "tokenId");
        b.accounts().token(project.id(), id).orElseThrow(() -> ApiError.notFound("no token " + id + " in project " + project.id()));
        b.auth().revoke(id);
        ctx.status(204);
    }

    /**
     * {project, scopes?, lifetimeSeconds?}: from a login, a token for the segmentation service
     * (at most an hour); from a token, a job token of the same project (at most a day, revoked with
     * the token it came from). Scopes default to what the caller's role allows.
     */
    private void serviceToken(Context ctx) {
        Principal p = Http.principal(ctx, b.auth());
        if (p.anonymous()) {
            throw ApiError.unauthorized("log in (or send a token) to get a service token");
        }
        ObjectNode body = JsonBody.object(ctx);
        long projectId = JsonBody.whole(body, "project", true);
        b.projects().project(projectId).orElseThrow(() -> ApiError.notFound("no project " + projectId));
        Role role = b.access().roleIn(p, projectId);
        if (role == null) {
            throw ApiError.forbidden("you are not a member of project " + projectId
                    + (p.token() != null ? " (a token mints tokens of its own project only)" : ""));
        }
        Set<ApiToken.Scope> allowed = role.atLeast(Role.EDITOR) ? EnumSet.of(ApiToken.Scope.READ, ApiToken.Scope.WRITE)
                : EnumSet.of(ApiToken.Scope.READ);
        Set<ApiToken.Scope> scopes = body.has("scopes") ? scopes(body.get("scopes")) : allowed;
        if (!allowed.containsAll(scopes)) {
            throw ApiError.forbidden("your role (" + role.wire() + ") does not allow the write scope");
        }
        boolean job = p.token() != null;
        long max = job ? JOB_SECONDS : SERVICE_SECONDS;
        Long lifetime = JsonBody.whole(body, "lifetimeSeconds", false);
        long seconds = lifetime == null ? SERVICE_SECONDS : lifetime;
        if (seconds < 60 || seconds > max) {
            throw ApiError.badRequest("lifetimeSeconds must be 60.." + max + (job ? " for a job token" : " for a service token"));
        }
        String name = job ? "job of " + p.token().name() : "service (" + p.user().username() + ")";
        Authenticator.Issued issued = b.auth().issue(new Accounts.NewToken(projectId, name, scopes, p.userId(),
                job ? ApiToken.Kind.JOB : ApiToken.Kind.SERVICE, System.currentTimeMillis() + seconds * 1000,
                job ? p.token().id() : null));
        Http.json(ctx, 201, withSecret(issued));
    }

    /** A token revokes itself (a job's token when the job ends). */
    private void revokeOwn(Context ctx) {
        Principal p = Http.principal(ctx, b.auth());
        if (p.anonymous()) {
            throw ApiError.unauthorized("send the token to revoke as Authorization: Bearer");
        }
        if (p.token() == null) {
            throw ApiError.forbidden("only a token revokes itself here; an owner revokes a project's tokens with "
                    + "DELETE /api/v1/projects/{p}/tokens/{id}");
        }
        b.auth().revoke(p.token().id());
        ctx.status(204);
    }

    private static Set<ApiToken.Scope> scopes(JsonNode node) {
        if (!(node instanceof ArrayNode array) || array.isEmpty()) {
            throw ApiError.badRequest("field \"scopes\" must be a non-empty array of \"read\" and/or \"write\"");
        }
        Set<ApiToken.Scope> scopes = EnumSet.noneOf(ApiToken.Scope.class);
        for (JsonNode s : array) {
            scopes.add(ApiToken.Scope.parse(s.isTextual() ? s.asText() : s.toString()));
        }
        return scopes;
    }

    private static Map<String, Object> withSecret(Authenticator.Issued issued) {
        Map<String, Object> out = view(issued.token());
        out.put("token", issued.secret());
        return out;
    }

    static Map<String, Object> view(ApiToken t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("projectId", t.projectId());
        out.put("scopes", t.scopes().stream().map(ApiToken.Scope::wire).sorted().toList());
        out.put("kind", t.kind().wire());
        out.put("createdAt", Instant.ofEpochMilli(t.createdAt()).toString());
        out.put("expiresAt", t.expiresAt() == null ? null : Instant.ofEpochMilli(t.expiresAt()).toString());
        out.put("lastUsedAt", t.lastUsedAt() == null ? null : Instant.ofEpochMilli(t.lastUsedAt()).toString());
        return out;
    }
}
