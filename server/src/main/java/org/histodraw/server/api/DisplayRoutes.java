package org.histodraw.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;
import org.histodraw.server.tiles.SlideTiles;
import org.histodraw.slides.display.DisplaySettings;

/**
 * How a slice that is not 8-bit colour (16-bit, float, fluorescence channels) is shown: its channels
 * as the file names them, and per channel whether it is shown, its colour and its range of original
 * values. Stored per slice for everyone who views it; tiles are rendered through them (their ETags
 * change with them).
 * <ul>
 *   <li>{@code GET /api/v1/slices/{id}/display}: {@code {rgb, channels: [{name, color, sample}],
 *       display: [{visible, color, min, max}], automatic: [...], stored}};</li>
 *   <li>{@code PUT} the same with {@code {"display": [...]}} (editors): checked against the channels;</li>
 *   <li>{@code DELETE}: back to the automatic ranges (the slide's 0.1 and 99.9 percentiles).</li>
 * </ul>
 */
final class DisplayRoutes {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Backend b;

    DisplayRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/slices/{id}/display", this::get);
        routes.put("/api/v1/slices/{id}/display", this::put);
        routes.delete("/api/v1/slices/{id}/display", this::reset);
    }

    private Slice slice(Context ctx, Role needed) {
        long id = Http.id(ctx, "id");
        Slice s = b.slides().slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        b.access().require(Http.principal(ctx, b.auth()), s.projectId(), needed);
        return s;
    }

    private SlideTiles tiles() {
        return b.ingest().tiles();
    }

    private void get(Context ctx) {
        Http.json(ctx, view(slice(ctx, Role.VIEWER)));
    }

    private Map<String, Object> view(Slice s) {
        SlideTiles.Display d = tiles().display(s);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sliceId", s.id());
        out.put("rgb", d.rgb());
        out.put("channels", d.channels().stream().map(c -> Map.of("name", c.name(), "color", c.colour(), "sample", c.sample())).toList());
        if (!d.rgb()) {
            out.put("display", d.current().toMaps());
            out.put("automatic", d.automatic().toMaps());
        }
        out.put("stored", d.stored());
        return out;
    }

    private void put(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        ObjectNode body = JsonBody.object(ctx);
        JsonNode display = body.get("display");
        if (display == null || !display.isArray()) {
            throw ApiError.badRequest("send {\"display\": [{\"visible\", \"color\", \"min\", \"max\"}, ...]}, one entry per channel");
        }
        if (display.size() > DisplaySettings.MAX_CHANNELS) {
            throw ApiError.badRequest("display settings of " + display.size() + " channels: at most " + DisplaySettings.MAX_CHANNELS);
        }
        DisplaySettings settings;
        try {
            settings = tiles().checkDisplay(s, MAPPER.convertValue(display, List.class));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        b.slides().displays().put(s.id(), Jackson.write(settings.toMaps()));
        tiles().forget(s.id());
        Http.json(ctx, view(s));
    }

    private void reset(Context ctx) {
        Slice s = slice(ctx, Role.EDITOR);
        b.slides().displays().clear(s.id());
        tiles().forget(s.id());
        Http.json(ctx, view(s));
    }
}
