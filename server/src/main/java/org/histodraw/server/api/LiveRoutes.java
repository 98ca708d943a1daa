package org.histodraw.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.websocket.WsContext;
import java.net.URI;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.collab.LiveHub;
import org.histodraw.server.collab.Messages;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;

/**
 * {@code /api/v1/slices/{id}/live}: the websocket of a slice (see {@link LiveHub} for the messages).
 * Credentials as for HTTP (session cookie, {@code Authorization: Bearer}), or
 * {@code ?access_token=} since browsers cannot set headers on websockets. A cookie-authenticated
 * upgrade must come from a page of this server (Origin check), against cross-site hijacking. The
 * connection keeps its credentials' check, which the hub runs again whenever rights change.
 */
final class LiveRoutes {
    static final String PATH = "/api/v1/slices/{id}/live";
    /** Cursor coordinates beyond this (slide pixels) are refused: no slide is that large. */
    static final double MAX_COORDINATE = 1e9;
    private final Backend b;

    LiveRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.raw().wsBeforeUpgrade(PATH, ctx -> {
            Principal p = b.auth().authenticate(ctx.header("Authorization"), ctx.cookie(Authenticator.SESSION_COOKIE),
                    ctx.queryParam("access_token"));
            readableSlice(ctx.pathParam("id"), p);
            String origin = ctx.header("Origin");
            if (p.session() != null && origin != null && !sameHost(origin, ctx.host())) {
                throw ApiError.forbidden("websocket from another site (" + origin + ") refused");
            }
        });
        routes.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                Slice slice = readableSlice(ctx.pathParam("id"), principal(ctx));
                b.live().join(slice.id(), ctx, principal(ctx).displayName(), () -> readableSlice(ctx.pathParam("id"), principal(ctx)));
            });
            ws.onMessage(ctx -> {
                long sliceId = Http.id(ctx.pathParam("id"), "slice id");
                JsonNode msg;
                try {
                    msg = Jackson.MAPPER.readTree(ctx.message());
                } catch (JsonProcessingException e) {
                    ctx.send(Messages.error(400, "malformed JSON message"));
                    return;
                }
                switch (msg.path("type").asText()) {
                    case "cursor" -> {
                        JsonNode x = msg.get("x"), y = msg.get("y");
                        if (!coordinate(x) || !coordinate(y)) {
                            ctx.send(Messages.error(400, "cursor x and y must be finite numbers (slide pixels), got " + x + ", " + y));
                            return;
                        }
                        b.live().cursor(sliceId, ctx, x.asDouble(), y.asDouble());
                    }
                    case "resync" -> b.live().resync(sliceId, ctx, Math.max(0, msg.path("since").asLong()));
                    default -> ctx.send(Messages.error(400, "unknown message type: " + msg.path("type").asText()));
                }
            });
            ws.onClose(ctx -> b.live().leave(Http.id(ctx.pathParam("id"), "slice id"), ctx));
            ws.onError(ctx -> b.live().leave(Http.id(ctx.pathParam("id"), "slice id"), ctx));
        });
    }

    /** A number that is finite and within any slide ("NaN", "Infinity", 1e400 and strings are not). */
    private static boolean coordinate(JsonNode n) {
        return n != null && n.isNumber() && Double.isFinite(n.asDouble()) && Math.abs(n.asDouble()) <= MAX_COORDINATE;
    }

    private Principal principal(WsContext ctx) {
        return b.auth().authenticate(ctx.header("Authorization"), ctx.cookie(Authenticator.SESSION_COOKIE),
                ctx.queryParam("access_token"));
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
