package org.histodraw.server.api;

import io.javalin.http.Context;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.exchange.CountedInput;
import org.histodraw.server.store.Jackson;

/** Per-request helpers: the principal, ids from the path, JSON answers. */
public final class Http {
    /** The largest request body outside uploads: a slice's regions to import, a layer to replace. */
    public static final long MAX_BODY_BYTES = 64L << 20;
    static final String PRINCIPAL = "histodraw.principal";

    private Http() {
    }

    /** The caller, authenticated once per request (401 for a wrong bearer token). */
    public static Principal principal(Context ctx, Authenticator auth) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            p = auth.authenticate(ctx.header("Authorization"), ctx.cookie(Authenticator.SESSION_COOKIE), null);
            ctx.attribute(PRINCIPAL, p);
        }
        return p;
    }

    /** A numeric id from the path: 400 when it is not a number (so "../x" never reaches a lookup). */
    public static long id(Context ctx, String name) {
        return id(ctx.pathParam(name), name);
    }

    public static long id(String value, String name) {
        if (value == null || !value.matches("\\d{1,18}")) {
            throw ApiError.badRequest(name + " must be a number: " + value);
        }
        return Long.parseLong(value);
    }

    /**
     * The request body as a stream that fails with 413 past {@link #MAX_BODY_BYTES} (Javalin checks
     * its size limit only when it reads the whole body at once).
     */
    public static InputStream body(Context ctx) {
        return new CountedInput(ctx.bodyInputStream(), new CountedInput.Budget("maxBodyBytes", MAX_BODY_BYTES, "the request body"));
    }

    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Jackson.write(body));
    }

    public static void json(Context ctx, Object body) {
        json(ctx, 200, body);
    }

    /**
     * A GeoJSON answer, in UTF-8 (GeoJSON is UTF-8 by RFC 7946; given as a String with the media type
     * alone, Jetty would send it in ISO-8859-1, and a QuPath measurement named "Area µm^2" would come
     * back as an invalid byte).
     */
    public static void geoJson(Context ctx, String json) {
        ctx.contentType("application/geo+json").result(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The client's address: the peer's, unless the peer is a trusted proxy; then the last address
     * of {@code X-Forwarded-For} that is not a trusted proxy (proxies append, so whatever a client
     * wrote itself stands to the left of what the proxies added and is never taken).
     */
    public static String clientAddress(Context ctx, Set<String> trustedProxies) {
        String peer = ctx.ip();
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || !trustedProxies.contains(peer)) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop.length() > 100 ? hop.substring(0, 100) : hop;
            }
        }
        return peer;
    }
}
