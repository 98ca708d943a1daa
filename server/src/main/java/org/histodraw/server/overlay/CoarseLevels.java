package org.histodraw.server.overlay;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;
import org.histodraw.slides.pyramid.PyramidLayout;

/**
 * The coarse levels of a layer's overlay pyramid, drawn whole in one pass over the layer: the
 * levels where the slide is at most {@value #MAX_SIDE} pixels on its longer side and shown at 1/8
 * or less, where a nucleus (under 20 px) is a dot. Those are the levels of the first view, and on
 * demand each of their tiles would read the whole layer again (every region's box meets some tile
 * of the level), so a first view read it ten times over.
 *
 * <p>The finest coarse level is drawn from one box query (regions under {@link
 * OverlayRenderer#DOT_PIXELS} as dots, no geometry read) and one query of the few larger regions;
 * each coarser level is the one above scaled by half. Cost: one read of the layer's boxes per
 * layer change.
 */
final class CoarseLevels {
    static final int MAX_SIDE = 2048;
    static final int MIN_DOWNSAMPLE = 8;

    private CoarseLevels() {
    }

    /** The most detailed coarse level, or -1 when the slide has none (too small: every level is under 1/8). */
    static int finest(PyramidLayout layout) {
        int finest = -1;
        for (int level = 0; level <= layout.maxLevel(); level++) {
            if (Math.max(layout.levelWidth(level), layout.levelHeight(level)) <= MAX_SIDE
                    && layout.downsample(level) >= MIN_DOWNSAMPLE) {
                finest = level;
            }
        }
        return finest;
    }

    /** Every coarse level of the layer drawn whole (level to picture), finest first. */
    static Map<Integer, BufferedImage> draw(Regions regions, Slice slice, String layer, ClassColours colours) {
        PyramidLayout layout = OverlayTiles.layout(slice);
        int finest = finest(layout);
        Map<Integer, BufferedImage> levels = new LinkedHashMap<>();
        if (finest < 0) {
            return levels;
        }
        double d = layout.downsample(finest);
        OverlayRenderer renderer = new OverlayRenderer(layout.levelWidth(finest), layout.levelHeight(finest), 0, 0, d, colours);
        double[] all = {0, 0, slice.width(), slice.height()};
        RegionQueries.Query q = new RegionQueries.Query(slice.id(), layer, null, all, 0, 0, OverlayRenderer.DOT_PIXELS * d);
        regions.queries().smallBoxes(q, slice.width(), slice.height(), renderer::dot);
        regions.queries().query(q, slice.width(), slice.height(), renderer::region);
        BufferedImage picture = renderer.image();
        levels.put(finest, picture);
        for (int level = finest - 1; level >= 0; level--) {
            picture = half(picture, layout.levelWidth(level), layout.levelHeight(level));
            levels.put(level, picture);
        }
        return levels;
    }

    private static BufferedImage half(BufferedImage big, int width, int height) {
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(big, 0, 0, width, height, null);
        g.dispose();
        return small;
    }

    /** A tile of a level drawn whole, as PNG. */
    static byte[] tile(PyramidLayout layout, BufferedImage level, int levelNumber, int column, int row) {
        var r = layout.tileRegion(levelNumber, column, row);
        BufferedImage tile = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = tile.createGraphics();
        g.drawImage(level.getSubimage(r.x(), r.y(), r.width(), r.height()), 0, 0, null);
        g.dispose();
        return OverlayRenderer.encode(tile, isEmpty(tile));
    }

    private static boolean isEmpty(BufferedImage tile) {
        int[] row = new int[tile.getWidth()];
        for (int y = 0; y < tile.getHeight(); y++) {
            tile.getRGB(0, y, row.length, 1, row, 0, row.length);
            for (int argb : row) {
                if (argb >>> 24 != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
