package org.histodraw.server.api;

import io.javalin.http.Context;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.overlay.OverlayTiles;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;
import org.histodraw.slides.pyramid.PyramidLayout;

/**
 * A layer of regions as a Deep Zoom image of transparent PNG tiles over the slide
 * ({@link OverlayTiles}): {@code /slides/{id}/layers/{layer}/overlay.dzi} and
 * {@code /slides/{id}/layers/{layer}/overlay_files/{level}/{col}_{row}.png}. This is how a layer of
 * 100,000 generated polygons stays fluid in the browser: it draws pictures, not paths.
 *
 * <p>The layer's last change number ({@code seq}) is in the ETag. A client that puts {@code ?seq=N}
 * on the .dzi URL (OpenSeadragon passes the query on to the tiles) gets immutable caching while N
 * is current and a fresh URL after the next change.
 */
final class OverlayRoutes {
    private static final Pattern TILE = Pattern.compile("(\\d{1,7})_(\\d{1,7})\\.png");
    private final Backend b;

    OverlayRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.get("/slides/{id}/layers/{layer}/overlay.dzi", this::dzi);
        routes.get("/slides/{id}/layers/{layer}/overlay_files/{level}/{tile}", this::tile);
    }

    private record Target(Slice slice, String layer, long seq) {
    }

    private Target target(Context ctx) {
        long id = Http.id(ctx, "id");
        Slice slice = b.slides().slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        Principal p = Http.principal(ctx, b.auth());
        b.access().require(p, slice.projectId(), Role.VIEWER);
        String layer = RegionInput.checkLayer(ctx.pathParam("layer"));
        long seq = b.regions().queries().layerSeq(slice.id(), layer);
        if (seq == 0) {
            throw ApiError.notFound("slice " + slice.id() + " has no layer \"" + layer + "\"");
        }
        String asked = ctx.queryParam("seq");
        boolean current = asked != null && asked.equals(Long.toString(seq));
        String scope = b.access().canRead(Principal.ANONYMOUS, slice.projectId()) ? "public, " : "private, ";
        ctx.header("Cache-Control", scope + (current ? "max-age=31536000, immutable" : "no-cache"));
        ctx.header("X-Layer-Seq", Long.toString(seq));
        return new Target(slice, layer, seq);
    }

    private void dzi(Context ctx) {
        Target t = target(ctx);
        ctx.contentType("application/xml").result(OverlayTiles.layout(t.slice()).toDzi());
    }

    private void tile(Context ctx) {
        Target t = target(ctx);
        PyramidLayout layout = OverlayTiles.layout(t.slice());
        String levelText = ctx.pathParam("level");
        Matcher m = TILE.matcher(ctx.pathParam("tile"));
        if (!levelText.matches("\\d{1,2}") || !m.matches()) {
            throw ApiError.badRequest("overlay tile path must be overlay_files/{level}/{column}_{row}.png");
        }
        int level = Integer.parseInt(levelText);
        int column = Integer.parseInt(m.group(1));
        int row = Integer.parseInt(m.group(2));
        if (!layout.hasTile(level, column, row)) {
            throw ApiError.notFound("no tile " + level + "/" + column + "_" + row + " in slice " + t.slice().id());
        }
        String etag = "\"ov-" + t.slice().id() + "-" + t.layer() + "-" + t.seq() + "-" + level + "-" + column + "-" + row + "\"";
        ctx.header("ETag", etag);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        byte[] png = b.overlayTiles().tile(t.slice(), t.layer(), t.seq(), level, column, row);
        ctx.disableCompression();
        ctx.contentType("image/png").result(png);
    }
}
