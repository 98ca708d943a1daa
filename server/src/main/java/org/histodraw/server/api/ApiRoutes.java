package org.histodraw.server.api;

import org.histodraw.server.Backend;
import org.histodraw.server.tiles.TileRoutes;

/** Registers every route of the server. */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    public static void register(RouteTable routes, Backend b) {
        new AccountRoutes(b).register(routes);
        new ProjectRoutes(b).register(routes);
        new RegionRoutes(b).register(routes);
        new org.histodraw.server.collab.LiveRoutes(b).register(routes);
        new TileRoutes(b.slides(), b.ingest(), b.auth(), b.access(), b.config().iiifMaxSide()).register(routes);
    }
}
