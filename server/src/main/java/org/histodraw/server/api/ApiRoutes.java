package org.histodraw.server.api;

import org.histodraw.server.Backend;

/** Registers every route of the server. */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    static String resource(String name) {
        try (java.io.InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void register(RouteTable routes, Backend b) {
        String openApi = resource("openapi.json");
        routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        new AccountRoutes(b).register(routes);
        new ProjectRoutes(b).register(routes);
        new SliceRoutes(b).register(routes);
        new DisplayRoutes(b).register(routes);
        new RegionRoutes(b).register(routes);
        new ExchangeRoutes(b).register(routes);
        new MicroDrawRoutes(b).register(routes);
        new RegionEditRoutes(b).register(routes);
        new ResultRoutes(b).register(routes);
        new org.histodraw.server.collab.LiveRoutes(b).register(routes);
        new org.histodraw.server.overlay.OverlayRoutes(b).register(routes);
        new TileRoutes(b.ingest(), b.auth(), b.access(), b.config().iiifMaxSide()).register(routes);
    }
}
