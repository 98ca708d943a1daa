package org.histodraw.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.histodraw.server.auth.ApiError;
import org.histodraw.server.store.Conflict;
import org.histodraw.server.store.NotFound;
import org.histodraw.slides.io.SlideException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes {@code {"error": "..."}} with a fitting status: our ApiError as given,
 * NotFound 404, Conflict 409 (with what is current), bad arguments 400, unreadable slide files 422,
 * anything unexpected 500 (logged, with no internals in the answer).
 */
public final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    public static void install(RoutesConfig routes) {
        routes.exception(ApiError.class, (e, ctx) -> send(ctx, e.status(), e.getMessage(), e.details()));
        routes.exception(NotFound.class, (e, ctx) -> send(ctx, 404, e.getMessage(), Map.of()));
        routes.exception(Conflict.class, (e, ctx) -> send(ctx, 409, e.getMessage(), e.details()));
        routes.exception(SlideException.class, (e, ctx) -> send(ctx, 422, "not a slide image we can use: "
                + e.getMessage().replace(String.valueOf(e.file()), e.file() == null ? "" : "the upload"), Map.of()));
        routes.exception(IllegalArgumentException.class, (e, ctx) -> send(ctx, 400, e.getMessage(), Map.of()));
        routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx, e.getStatus(), e.getMessage(), Map.of()));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            send(ctx, 500, "internal server error (" + e.getClass().getSimpleName() + "); see the server log", Map.of());
        });
        routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{\"error\"")) {
                send(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(), Map.of());
            }
        });
        routes.error(405, ctx -> {
            if (ctx.result() == null || !ctx.result().startsWith("{\"error\"")) {
                send(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path(), Map.of());
            }
        });
    }

    static void send(Context ctx, int status, String message, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "error" : message);
        body.putAll(details);
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
