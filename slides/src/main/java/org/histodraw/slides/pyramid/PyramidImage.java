package org.histodraw.slides.pyramid;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Reads a pyramid written by {@link DeepZoomPyramid} back as pictures of any region at any smaller
 * size (what IIIF asks for): it picks the smallest level that still has at least the requested
 * resolution, decodes only the tiles under the region, crops, and scales the rest of the way
 * (at most 2x) with bilinear interpolation. Thread-safe; holds no open files.
 */
public final class PyramidImage {
    private final Path dir;
    private final PyramidLayout layout;

    public PyramidImage(Path dir, PyramidLayout layout) {
        this.dir = dir;
        this.layout = layout;
    }

    public static PyramidImage open(Path dir) {
        return new PyramidImage(dir, DeepZoomPyramid.open(dir));
    }

    public PyramidLayout layout() {
        return layout;
    }

    /** The level a picture of {@code region} at {@code width x height} is made from. */
    public int levelFor(PixelRegion region, int width, int height) {
        double scale = Math.max((double) width / region.width(), (double) height / region.height());
        int level = layout.maxLevel();
        // Go down while the next level still holds at least the asked-for resolution.
        while (level > 0 && scale * layout.downsample(level - 1) <= 1.0 + 1e-9) {
            level--;
        }
        return level;
    }

    /** The full-resolution {@code region} as a {@code width x height} RGB picture. */
    public BufferedImage render(PixelRegion region, int width, int height) {
        if (region.isEmpty() || !PixelRegion.of(layout.width(), layout.height()).contains(region)) {
            throw new IllegalArgumentException("region " + region + " must be non-empty and inside the "
                    + layout.width() + " x " + layout.height() + " image");
        }
        int level = levelFor(region, width, height);
        long d = layout.downsample(level);
        int lw = layout.levelWidth(level), lh = layout.levelHeight(level);
        int x0 = (int) (region.x() / d), y0 = (int) (region.y() / d);
        int x1 = (int) Math.min(lw, (region.endX() + d - 1) / d), y1 = (int) Math.min(lh, (region.endY() + d - 1) / d);
        PixelRegion atLevel = new PixelRegion(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
        BufferedImage composite = compose(level, atLevel);
        if (composite.getWidth() == width && composite.getHeight() == height) {
            return composite;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(composite, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The pixels of {@code r} (in level coordinates) cut from the tiles' cores. */
    BufferedImage compose(int level, PixelRegion r) {
        BufferedImage out = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
        int ts = layout.tileSize();
        int[] row = new int[0];
        for (int ty = r.y() / ts; ty <= (r.endY() - 1) / ts; ty++) {
            for (int tx = r.x() / ts; tx <= (r.endX() - 1) / ts; tx++) {
                BufferedImage tile = readTile(level, tx, ty);
                PixelRegion withOverlap = layout.tileRegion(level, tx, ty);
                PixelRegion core = new PixelRegion(tx * ts, ty * ts, ts, ts).intersect(r);
                if (core.isEmpty()) {
                    continue;
                }
                if (row.length < core.width()) {
                    row = new int[core.width()];
                }
                for (int y = core.y(); y < core.endY(); y++) {
                    tile.getRGB(core.x() - withOverlap.x(), y - withOverlap.y(), core.width(), 1, row, 0, core.width());
                    out.setRGB(core.x() - r.x(), y - r.y(), core.width(), 1, row, 0, core.width());
                }
            }
        }
        return out;
    }

    private BufferedImage readTile(int level, int column, int row) {
        Path file = DeepZoomPyramid.tileFile(dir, layout, level, column, row);
        try {
            BufferedImage tile = ImageIO.read(file.toFile());
            if (tile == null) {
                throw new IOException("not an image");
            }
            return tile;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read tile " + file + ": " + e.getMessage(), e);
        }
    }

    /** JPEG or PNG bytes of a picture (e.g. one made by {@link #render}). */
    public static byte[] encode(BufferedImage image, TileFormat format) {
        return TileEncoder.encode(image, format);
    }
}
