package org.histodraw.server.tiles;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.server.api.Http;
import org.histodraw.server.api.RouteTable;
import org.histodraw.server.auth.AccessControl;
import org.histodraw.server.api.ApiError;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.Slides;
import org.histodraw.slides.pyramid.IiifImageRequest;
import org.histodraw.slides.pyramid.PyramidImage;
import org.histodraw.slides.pyramid.PyramidLayout;

/**
 * Serves slice pyramids as Deep Zoom ({@code /slides/{id}/slide.dzi} and
 * {@code /slides/{id}/slide_files/{level}/{col}_{row}.{ext}}) and through the IIIF Image API 3
 * ({@code /iiif/3/{id}/info.json}, {@code /iiif/3/{id}/{region}/{size}/{rotation}/{quality}.{format}}).
 *
 * <p>Safety: every path part is parsed into numbers before any file is named; the file path is
 * built from the slice's storage key (chosen by the server) and the numbers, checked against the
 * pyramid's layout, so no request can name a file outside the store. Tile files are sent as they
 * are, without decoding, with an ETag and {@code immutable} caching (a slice's pyramid never
 * changes: re-ingesting makes a new slice).
 */
public final class TileRoutes {
    private static final Pattern TILE = Pattern.compile("(\\d{1,7})_(\\d{1,7})\\.(jpg|jpeg|png)");

    private final Slides slides;
    private final IngestJobs jobs;
    private final Authenticator auth;
    private final AccessControl access;
    private final int iiifMaxSide;
    private final SlideTiles tiles;

    public TileRoutes(Slides slides, IngestJobs jobs, Authenticator auth, AccessControl access, int iiifMaxSide) {
        this.slides = slides;
        this.jobs = jobs;
        this.auth = auth;
        this.access = access;
        this.iiifMaxSide = iiifMaxSide;
        this.tiles = jobs.tiles();
    }

    public void register(RouteTable routes) {
        routes.get("/slides/{id}/slide.dzi", this::dzi);
        routes.head("/slides/{id}/slide.dzi", this::dzi);
        routes.get("/slides/{id}/slide_files/{level}/{tile}", this::tile);
        routes.head("/slides/{id}/slide_files/{level}/{tile}", this::tile);
        routes.get("/iiif/3/{id}", ctx -> {
            Slice slice = readable(ctx);
            ctx.header("Location", "/iiif/3/" + slice.id() + "/info.json").status(303);
        });
        routes.get("/iiif/3/{id}/info.json", this::info);
        routes.get("/iiif/3/{id}/{region}/{size}/{rotation}/{file}", this::image);
    }

    private Slice readable(Context ctx) {
        long id = Http.id(ctx, "id");
        Slice slice = tiles.slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        Principal p = Http.principal(ctx, auth);
        access.require(p, slice.projectId(), Role.VIEWER);
        ctx.header("Cache-Control", SlideTiles.cacheControl(access, slice));
        return slice;
    }

    private void dzi(Context ctx) {
        Slice slice = readable(ctx);
        ctx.contentType("application/xml").result(slice.layout().toDzi());
    }

    private void tile(Context ctx) {
        Slice slice = readable(ctx);
        PyramidLayout layout = slice.layout();
        String levelText = ctx.pathParam("level");
        Matcher m = TILE.matcher(ctx.pathParam("tile"));
        if (!levelText.matches("\\d{1,2}") || !m.matches()) {
            throw ApiError.badRequest("tile path must be slide_files/{level}/{column}_{row}." + layout.format().extension());
        }
        int level = Integer.parseInt(levelText);
        int column = Integer.parseInt(m.group(1));
        int row = Integer.parseInt(m.group(2));
        String ext = m.group(3).equals("jpeg") ? "jpg" : m.group(3);
        if (!ext.equals(layout.format().extension()) || !layout.hasTile(level, column, row)) {
            throw ApiError.notFound("no tile " + level + "/" + column + "_" + row + "." + m.group(3) + " in slice " + slice.id());
        }
        Tile tile = tiles.tile(slice, level, column, row).orElseThrow(() -> ApiError.notFound(
                "tile file missing for slice " + slice.id() + ": " + level + "/" + column + "_" + row));
        ctx.header("ETag", tile.etag());
        ctx.header("Last-Modified", tile.lastModifiedHttp());
        if (ConditionalRequest.notModified(ctx.header("If-None-Match"), ctx.header("If-Modified-Since"), tile)) {
            ctx.status(304);
            return;
        }
        ctx.disableCompression();
        ctx.contentType(tile.mediaType()).result(tile.bytes());
    }

    private void info(Context ctx) {
        Slice slice = readable(ctx);
        PyramidLayout layout = slice.layout();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("@context", "http://iiif.io/api/image/3/context.json");
        info.put("id", ctx.scheme() + "://" + ctx.host() + "/iiif/3/" + slice.id());
        info.put("type", "ImageService3");
        info.put("protocol", "http://iiif.io/api/image");
        info.put("profile", "level1");
        info.put("width", layout.width());
        info.put("height", layout.height());
        info.put("maxWidth", iiifMaxSide);
        info.put("maxHeight", iiifMaxSide);
        List<Map<String, Object>> sizes = new java.util.ArrayList<>();
        for (int level = 0; level <= layout.maxLevel(); level++) {
            if (layout.levelWidth(level) <= iiifMaxSide && layout.levelHeight(level) <= iiifMaxSide) {
                sizes.add(Map.of("width", layout.levelWidth(level), "height", layout.levelHeight(level)));
            }
        }
        info.put("sizes", sizes);
        List<Integer> factors = new java.util.ArrayList<>();
        for (int level = layout.maxLevel(); level >= 0 && factors.size() < 12; level--) {
            factors.add((int) layout.downsample(level));
        }
        info.put("tiles", List.of(Map.of("width", layout.tileSize(), "scaleFactors", factors)));
        info.put("extraQualities", List.of("color"));
        info.put("extraFormats", List.of("png"));
        info.put("extraFeatures", List.of("regionByPct", "sizeByConfinedWh", "sizeByPct"));
        if (slice.micronsPerPixel() != null) {
            // The IIIF Physical Dimensions service: how big one pixel is, for scale bars and measures.
            Map<String, Object> physdim = new LinkedHashMap<>();
            physdim.put("@context", "http://iiif.io/api/annex/services/physdim/1/context.json");
            physdim.put("profile", "http://iiif.io/api/annex/services/physdim");
            physdim.put("physicalScale", slice.micronsPerPixel() / 1000.0);
            physdim.put("physicalUnits", "mm");
            info.put("service", List.of(physdim));
        }
        ctx.contentType("application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"").result(
                org.histodraw.server.store.Jackson.write(info));
    }

    private void image(Context ctx) {
        Slice slice = readable(ctx);
        PyramidLayout layout = slice.layout();
        IiifImageRequest request;
        try {
            request = IiifImageRequest.parse(ctx.pathParam("region"), ctx.pathParam("size"), ctx.pathParam("rotation"),
                    ctx.pathParam("file"), layout.width(), layout.height(), iiifMaxSide);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("IIIF: " + e.getMessage());
        }
        PyramidImage pyramid = new PyramidImage(tiles.pyramidDir(slice), layout);
        byte[] bytes = PyramidImage.encode(pyramid.render(request.region(), request.width(), request.height()), request.format());
        ctx.disableCompression();
        ctx.header("Link", "<http://iiif.io/api/image/3/level1.json>;rel=\"profile\"");
        ctx.contentType(request.format().mediaType()).result(bytes);
    }
}
