package org.histodraw.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.websocket.WsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Registers routes and remembers them, so a test can check that the OpenAPI document lists every
 * endpoint the server really has.
 */
public final class RouteTable {
    private final RoutesConfig routes;
    private final List<String> entries = new ArrayList<>();

    public RouteTable(RoutesConfig routes) {
        this.routes = routes;
    }

    public void get(String path, Handler h) {
        entries.add("GET " + path);
        routes.get(path, h);
    }

    /** A HEAD route (the same handler as GET: Jetty sends the headers and drops the body). */
    public void head(String path, Handler h) {
        entries.add("HEAD " + path);
        routes.head(path, h);
    }

    public void post(String path, Handler h) {
        entries.add("POST " + path);
        routes.post(path, h);
    }

    public void put(String path, Handler h) {
        entries.add("PUT " + path);
        routes.put(path, h);
    }

    public void patch(String path, Handler h) {
        entries.add("PATCH " + path);
        routes.patch(path, h);
    }

    public void delete(String path, Handler h) {
        entries.add("DELETE " + path);
        routes.delete(path, h);
    }

    /** A websocket route, listed as "WS path". */
    public void ws(String path, Consumer<WsConfig> ws) {
        entries.add("WS " + path);
        routes.ws(path, ws);
    }

    public RoutesConfig raw() {
        return routes;
    }

    /** "METHOD /path" for every route registered so far. */
    public List<String> entries() {
        return List.copyOf(entries);
    }
}
