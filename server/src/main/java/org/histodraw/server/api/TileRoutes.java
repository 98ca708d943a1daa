package org.histodraw.server.api;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.server.auth.AccessControl;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.Slides;
import org.histodraw.server.tiles.IngestJobs;
import org.histodraw.server.tiles.SlideTiles;
import org.histodraw.server.tiles.Tile;
import org.histodraw.slides.pyramid.IiifImageRequest;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileEncoder;

/**
 * Serves slices as Deep Zoom ({@code /slides/{id}/slide.dzi} and
 * {@code /slides/{id}/slide_files/{level}/{col}_{row}.{ext}}) and through the IIIF Image API 3
 * ({@code /iiif/3/{id}/info.json}, {@code /iiif/3/{id}/{region}/{size}/{rotation}/{quality}.{format}}).
 *
 * <p>Tiles and pictures are cut from the slice's source on request ({@link SlideTiles}); IIIF PNG
 * pictures at full size are the source's decoded pixels (the lossless reads the service and Spark
 * use). Safety: every path part is parsed into numbers before anything is read, checked against the
 * slice's layout; the source is named by the slice's row, never by the request. Tiles carry an ETag
 * and {@code immutable} caching (a slice's pixels never change: re-ingesting makes a new slice).
 */
public final class TileRoutes {
    private static final Pattern TILE = Pattern.compile("(\\d{1,7})_(\\d{1,7})\\.(jpg|jpeg|png)");

    /** Cache-Control of tiles: a pyramid never changes (re-ingesting makes a new slice). */
    static final String PUBLIC_TILES = "public, max-age=31536000, immutable";
    static final String PRIVATE_TILES = "private, max-age=31536000, immutable";

    private final Authenticator auth;
    private final AccessControl access;
    private final int iiifMaxSide;
    private final SlideTiles tiles;

    public TileRoutes(IngestJobs jobs, Authenticator auth, AccessControl access, int iiifMaxSide) {
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
        ctx.header("Cache-Control", cacheControl(access, slice, tiles.fixedLook(slice)));
        return slice;
    }

    /**
     * Shared caches (proxies) may keep tiles of public projects only; tiles of a slice shown through
     * display settings ({@code fixed} false) are revalidated by their ETag, since an editor may change them.
     */
    static String cacheControl(AccessControl access, Slice slice, boolean fixed) {
        boolean shared = publicRead(access, slice);
        if (fixed) {
            return shared ? PUBLIC_TILES : PRIVATE_TILES;
        }
        return shared ? "public, no-cache" : "private, no-cache";
    }

    static boolean publicRead(AccessControl access, Slice slice) {
        return access.canRead(Principal.ANONYMOUS, slice.projectId());
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
                "tile missing for slice " + slice.id() + ": " + level + "/" + column + "_" + row));
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
        List<Map<String, Object>> sizes = new ArrayList<>();
        for (int level = 0; level <= layout.maxLevel(); level++) {
            if (layout.levelWidth(level) <= iiifMaxSide && layout.levelHeight(level) <= iiifMaxSide) {
                sizes.add(Map.of("width", layout.levelWidth(level), "height", layout.levelHeight(level)));
            }
        }
        info.put("sizes", sizes);
        List<Integer> factors = new ArrayList<>();
        for (int level = layout.maxLevel(); level >= 0 && factors.size() < 12; level--) {
            factors.add((int) layout.downsample(level));
        }
        info.put("tiles", List.of(Map.of("width", layout.tileSize(), "scaleFactors", factors)));
        info.put("extraQualities", List.of("color"));
        info.put("extraFormats", List.of("png", "tif"));
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
                Jackson.write(info));
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
        int[] picture = tiles.picture(slice, request.region(), request.width(), request.height());
        byte[] bytes = TileEncoder.encode(picture, request.width(), request.height(), request.format());
        ctx.disableCompression();
        ctx.header("Link", "<http://iiif.io/api/image/3/level1.json>;rel=\"profile\"");
        ctx.contentType(request.format().mediaType()).result(bytes);
    }
}
