package org.histodraw.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.histodraw.server.auth.Forbidden;
import org.histodraw.server.auth.NotAuthenticated;
import org.histodraw.server.auth.TooManyAttempts;
import org.histodraw.server.store.Busy;
import org.histodraw.server.store.Conflict;
import org.histodraw.server.store.DatabaseUnavailable;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.LimitExceeded;
import org.histodraw.server.store.NotFound;
import org.histodraw.slides.io.SlideException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes {@code {"error": "..."}} with a fitting status: our ApiError as given,
 * the client's own mistakes by the project's exception types (InvalidInput 400, LimitExceeded 413
 * naming the limit, NotAuthenticated 401, Forbidden 403, NotFound 404, Conflict 409 with what is
 * current, TooManyAttempts 429 with Retry-After), unreadable slide files 422, and anything else 500
 * (logged, with no internals in the answer): an IllegalArgumentException from a library or from
 * corrupt stored data is our fault, not the client's.
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
        routes.exception(InvalidInput.class, (e, ctx) -> send(ctx, 400, e.getMessage(), Map.of()));
        routes.exception(LimitExceeded.class, (e, ctx) -> send(ctx, 413, e.getMessage(), Map.of("limit", e.limit(), "max", e.max())));
        routes.exception(NotAuthenticated.class, (e, ctx) -> send(ctx, 401, e.getMessage(), Map.of()));
        routes.exception(Forbidden.class, (e, ctx) -> send(ctx, 403, e.getMessage(), Map.of()));
        routes.exception(Busy.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            send(ctx, 503, e.getMessage(), Map.of("retryAfter", e.retryAfterSeconds()));
        });
        routes.exception(DatabaseUnavailable.class, (e, ctx) -> {
            ctx.header("Retry-After", "1");
            send(ctx, 503, e.getMessage(), Map.of("retryAfter", 1));
        });
        routes.exception(TooManyAttempts.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            send(ctx, 429, e.getMessage(), Map.of("retryAfter", e.retryAfterSeconds()));
        });
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

    /** Request bodies up to this size are read to their end before a refusal is answered. */
    private static final long READ_BEFORE_ANSWERING = 16L << 20;

    static void send(Context ctx, int status, String message, Map<String, Object> details) {
        readRestWhenSmall(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "error" : message);
        body.putAll(details);
        ctx.status(status).contentType("application/json").result(Jackson.write(body));
    }

    /**
     * A request refused before its body was read (not logged in, not multipart, too many uploads):
     * Jetty closes the connection after the answer, and a client still sending its body may get a
     * reset instead of the answer (a CI run saw it for a 2 MB JSON body sent to the upload route).
     * A small body is read to its end first, as a route that reads JSON would; a large one (an
     * upload past the limit, answered before a byte of it is read) is not.
     */
    private static void readRestWhenSmall(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared == 0 || declared > READ_BEFORE_ANSWERING) {
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[64 << 10];
            long read = 0;
            for (int n; read <= READ_BEFORE_ANSWERING && (n = in.read(buffer)) > 0; ) {
                read += n;
            }
        } catch (IOException | IllegalStateException e) {
            // already read as text, or the client went away: the answer goes out all the same
        }
    }
}
