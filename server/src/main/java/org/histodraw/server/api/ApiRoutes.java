package org.histodraw.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.histodraw.server.exchange.ImportGate;

/** Registers every route of the server. */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    static String resource(String name) {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void register(RouteTable routes, Backend b) {
        String openApi = resource("openapi.json");
        routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        new AccountRoutes(b).register(routes);
        new TokenRoutes(b).register(routes);
        new ProjectRoutes(b).register(routes);
        new SliceRoutes(b).register(routes);
        new RegionRoutes(b).register(routes);
        // Region files come in through two APIs; together they unpack a bounded number at once.
        ImportGate imports = new ImportGate(b.settings().importLimits().concurrentImports());
        new ExchangeRoutes(b, imports).register(routes);
        new MicroDrawRoutes(b, imports).register(routes);
        new RegionEditRoutes(b).register(routes);
        new ResultRoutes(b).register(routes);
        new LiveRoutes(b).register(routes);
        new OverlayRoutes(b).register(routes);
        new TileRoutes(b.ingest(), b.auth(), b.access(), b.settings().iiifMaxSide()).register(routes);
    }
}
