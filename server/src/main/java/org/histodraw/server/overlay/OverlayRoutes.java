package org.histodraw.server.overlay;

import org.histodraw.server.cache.ByteCache;
import io.javalin.http.Context;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.server.Backend;
import org.histodraw.server.api.Http;
import org.histodraw.server.api.RouteTable;
import org.histodraw.server.auth.ApiError;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.RegionInput;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * A layer of regions as a Deep Zoom image of transparent PNG tiles with the slide's own size and
 * tile size, so that OpenSeadragon lays it over the slide as a second tiled image:
 * {@code /slides/{id}/layers/{layer}/overlay.dzi} and
 * {@code /slides/{id}/layers/{layer}/overlay_files/{level}/{col}_{row}.png}. This is how a layer of
 * 100,000 generated polygons stays fluid in the browser: it draws pictures, not paths.
 *
 * <p>The coarse levels (the first view's) are drawn whole in one pass over the layer, ahead of time
 * for large layers ({@link OverlayPrerender}); finer tiles are rendered on demand from a viewport
 * query. Both are kept in memory keyed by the layer's last change number ({@code seq}); the ETag
 * carries it. A client that puts {@code ?seq=N} on the
 * .dzi URL (OpenSeadragon passes the query on to the tiles) gets immutable caching while N is
 * current and a fresh URL after the next change.
 */
public final class OverlayRoutes {
    private static final Pattern TILE = Pattern.compile("(\\d{1,7})_(\\d{1,7})\\.png");
    private final Backend b;
    private final ByteCache<String, byte[]> cache = ByteCache.ofBytes(96L << 20);

    public OverlayRoutes(Backend b) {
        this.b = b;
    }

    public void register(RouteTable routes) {
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
        String layer;
        try {
            layer = RegionInput.checkLayer(ctx.pathParam("layer"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        long seq = b.regions().layerSeq(slice.id(), layer);
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

    /**
     * The slide's size and tile size without overlap: transparent tiles that overlap would blend
     * their shared edge twice, so a viewer would have to draw them into a scratch canvas first
     * (OpenSeadragon does, a full extra pass a frame); tiles that do not can go straight on.
     */
    static PyramidLayout layout(Slice slice) {
        return new PyramidLayout(slice.width(), slice.height(), slice.tileSize(), 0, TileFormat.PNG);
    }

    private void dzi(Context ctx) {
        Target t = target(ctx);
        ctx.contentType("application/xml").result(layout(t.slice()).toDzi());
    }

    private void tile(Context ctx) {
        Target t = target(ctx);
        PyramidLayout layout = layout(t.slice());
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
        byte[] png = cache.get(etag);
        if (png == null) {
            png = render(t, layout, level, column, row);
            cache.put(etag, png);
        }
        ctx.disableCompression();
        ctx.contentType("image/png").result(png);
    }

    /** Renders one tile from a viewport query, whatever its level (no cache); public for the benchmark. */
    public byte[] render(Slice slice, String layer, int level, int column, int row) {
        return render(new Target(slice, layer, 0), layout(slice), level, column, row);
    }

    private byte[] render(Target t, PyramidLayout layout, int level, int column, int row) {
        if (t.seq() != 0 && OverlayPrerender.covers(layout, level)) {
            return b.overlays().tile(t.slice(), t.layer(), t.seq(), level, column, row);
        }
        PixelRegion tile = layout.tileRegion(level, column, row);
        double d = layout.downsample(level);
        double x0 = tile.x() * d, y0 = tile.y() * d;
        // A little beyond the tile, so outlines crossing its edge are drawn on both sides.
        double margin = 2 * d;
        double[] bbox = {x0 - margin, y0 - margin, x0 + tile.width() * d + margin, y0 + tile.height() * d + margin};
        OverlayRenderer renderer = new OverlayRenderer(tile.width(), tile.height(), x0, y0, d,
                new ClassColours(b.projects().ontology(t.slice().projectId())));
        Regions.Query q = new Regions.Query(t.slice().id(), t.layer(), null, bbox, 0, 0, OverlayRenderer.DOT_PIXELS * d);
        b.regions().smallBoxes(q, t.slice().width(), t.slice().height(), renderer::dot);
        b.regions().query(q, t.slice().width(), t.slice().height(), renderer::region);
        return renderer.png();
    }
}
