package org.histodraw.server.overlay;

import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.server.cache.ByteCache;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * The tiles of a layer drawn as a Deep Zoom image of transparent PNGs with the slide's own size
 * and tile size ({@link #layout}). The coarse levels come from {@link OverlayPrerender} (one pass
 * over the layer for all of them); finer tiles are drawn on demand from a viewport query. Both are
 * kept in memory keyed by the layer's last change number, so a tile is drawn once per version.
 */
public final class OverlayTiles {
    private final Regions regions;
    private final Projects projects;
    private final OverlayPrerender prerender;
    private final ByteCache<String, byte[]> cache = ByteCache.ofBytes(96L << 20);

    public OverlayTiles(Regions regions, Projects projects, OverlayPrerender prerender) {
        this.regions = regions;
        this.projects = projects;
        this.prerender = prerender;
    }

    /**
     * The slide's size and tile size without overlap: transparent tiles that overlap would blend
     * their shared edge twice, so a viewer would have to draw them into a scratch canvas first
     * (OpenSeadragon does, a full extra pass a frame); tiles that do not can go straight on.
     */
    public static PyramidLayout layout(Slice slice) {
        return new PyramidLayout(slice.width(), slice.height(), slice.tileSize(), 0, TileFormat.PNG);
    }

    /** The PNG of one tile of the layer at version {@code seq} (the caller checked that the tile exists). */
    public byte[] tile(Slice slice, String layer, long seq, int level, int column, int row) {
        String key = slice.id() + "/" + layer + "/" + seq + "/" + level + "/" + column + "_" + row;
        byte[] png = cache.get(key);
        if (png == null) {
            PyramidLayout layout = layout(slice);
            png = OverlayPrerender.covers(layout, level) ? prerender.tile(slice, layer, seq, level, column, row)
                    : render(slice, layer, level, column, row);
            cache.put(key, png);
        }
        return png;
    }

    /** Renders one tile from a viewport query, whatever its level (no cache); public for the benchmark. */
    public byte[] render(Slice slice, String layer, int level, int column, int row) {
        PyramidLayout layout = layout(slice);
        PixelRegion tile = layout.tileRegion(level, column, row);
        double d = layout.downsample(level);
        double x0 = tile.x() * d, y0 = tile.y() * d;
        // A little beyond the tile, so outlines crossing its edge are drawn on both sides.
        double margin = 2 * d;
        double[] bbox = {x0 - margin, y0 - margin, x0 + tile.width() * d + margin, y0 + tile.height() * d + margin};
        OverlayRenderer renderer = new OverlayRenderer(tile.width(), tile.height(), x0, y0, d,
                new ClassColours(projects.ontology(slice.projectId())));
        RegionQueries.Query q = new RegionQueries.Query(slice.id(), layer, null, bbox, 0, 0, OverlayRenderer.DOT_PIXELS * d);
        regions.queries().smallBoxes(q, slice.width(), slice.height(), renderer::dot);
        regions.queries().query(q, slice.width(), slice.height(), renderer::region);
        return renderer.png();
    }
}
