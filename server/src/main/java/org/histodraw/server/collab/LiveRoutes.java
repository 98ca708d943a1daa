package org.histodraw.server.collab;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.websocket.WsContext;
import java.net.URI;
import org.histodraw.server.Backend;
import org.histodraw.server.api.Http;
import org.histodraw.server.api.Json;
import org.histodraw.server.api.RouteTable;
import org.histodraw.server.auth.ApiError;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;

/**
 * {@code /api/v1/slices/{id}/live}: the websocket of a slice (see {@link LiveHub} for the messages).
 * Credentials as for HTTP (session cookie, {@code Authorization: Bearer}), or
 * {@code ?access_token=} since browsers cannot set headers on websockets. A cookie-authenticated
 * upgrade must come from a page of this server (Origin check), against cross-site hijacking.
 */
public final class LiveRoutes {
    static final String PATH = "/api/v1/slices/{id}/live";
    private final Backend b;

    public LiveRoutes(Backend b) {
        this.b = b;
    }

    public void register(RouteTable routes) {
        routes.raw().wsBeforeUpgrade(PATH, ctx -> {
            Principal p = principal(ctx.header("Authorization"), ctx.cookie(Authenticator.SESSION_COOKIE), ctx.queryParam("access_token"));
            readableSlice(ctx.pathParam("id"), p);
            String origin = ctx.header("Origin");
            if (p.session() != null && origin != null && !sameHost(origin, ctx.host())) {
                throw ApiError.forbidden("websocket from another site (" + origin + ") refused");
            }
        });
        routes.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                Principal p = principal(ctx);
                Slice slice = readableSlice(ctx.pathParam("id"), p);
                ctx.enableAutomaticPings();
                b.live().join(slice.id(), ctx, p.displayName());
            });
            ws.onMessage(ctx -> {
                long sliceId = Http.id(ctx.pathParam("id"), "slice id");
                JsonNode msg;
                try {
                    msg = Json.MAPPER.readTree(ctx.message());
                } catch (Exception e) {
                    ctx.send("{\"type\":\"error\",\"error\":\"malformed JSON message\"}");
                    return;
                }
                switch (msg.path("type").asText()) {
                    case "cursor" -> b.live().cursor(sliceId, ctx, principal(ctx).displayName(),
                            msg.path("x").asDouble(), msg.path("y").asDouble());
                    case "resync" -> b.live().resync(sliceId, ctx, Math.max(0, msg.path("since").asLong()));
                    default -> ctx.send("{\"type\":\"error\",\"error\":" + Json.write("unknown message type: " + msg.path("type").asText()) + "}");
                }
            });
            ws.onClose(ctx -> b.live().leave(Http.id(ctx.pathParam("id"), "slice id"), ctx));
            ws.onError(ctx -> b.live().leave(Http.id(ctx.pathParam("id"), "slice id"), ctx));
        });
    }

    private Principal principal(WsContext ctx) {
        return principal(ctx.header("Authorization"), ctx.cookie(Authenticator.SESSION_COOKIE), ctx.queryParam("access_token"));
    }

    private Principal principal(String authorization, String cookie, String token) {
        return b.auth().authenticate(authorization, cookie, token);
    }

    private Slice readableSlice(String idText, Principal p) {
        long id = Http.id(idText, "slice id");
        Slice slice = b.slides().slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        b.access().require(p, slice.projectId(), Role.VIEWER);
        return slice;
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI u = URI.create(origin);
            String originHost = u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
            return originHost.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

}
