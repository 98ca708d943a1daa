package org.histodraw.server.overlay;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.histodraw.server.geometry.Outline;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;

/**
 * Draws one overlay tile: a transparent picture of a slide area at a zoom, with each region filled
 * in its class colour, semi-transparent, and outlined. Regions smaller than a couple of tile
 * pixels are drawn as dots from their bounding box (no geometry read), larger ones from their
 * outline simplified to the tile's resolution.
 *
 * <p>Outlines and dots have a halo of the opposite lightness, as the viewer draws the regions it
 * draws itself (regions.js and overlay.js): dark under light classes, light under dark ones, so a
 * class shows on any stain, in a layer of 100,000 regions as in one of ten. The halos are drawn on
 * a picture of their own that goes under everything at the end, so no region's halo covers
 * another's outline (the viewer's halos go under what is drawn, too).
 */
final class OverlayRenderer {
    static final int FILL_ALPHA = 90;
    static final int LINE_ALPHA = 230;
    /** Regions below this many tile pixels are dots. */
    static final double DOT_PIXELS = 2.5;
    /** Outline width, in tile pixels (tiles are shown at 1-2x: 1.5-3 screen pixels, the viewer's is 2). */
    static final float OUTLINE = 1.5f;
    /** Halo on each side of an outline, in tile pixels (the viewer's: 1.5 screen pixels). */
    static final float HALO = 1f;
    private static final Color DARK_HALO = new Color(0, 0, 0, 217);
    private static final Color LIGHT_HALO = new Color(255, 255, 255, 230);

    private final BufferedImage image;
    private final Graphics2D g;
    private final BufferedImage halos;
    private final Graphics2D halo;
    private boolean flattened;
    private final double x0;
    private final double y0;
    private final double downsample;
    private final ClassColours colours;
    private int drawn;

    /** A tile of {@code width x height} pixels showing the slide from ({@code x0, y0}) at 1/{@code downsample}. */
    OverlayRenderer(int width, int height, double x0, double y0, double downsample, ClassColours colours) {
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        this.g = image.createGraphics();
        this.x0 = x0;
        this.y0 = y0;
        this.downsample = downsample;
        this.colours = colours;
        this.halos = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        this.halo = halos.createGraphics();
        for (Graphics2D each : new Graphics2D[] {g, halo}) {
            each.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            each.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        }
        g.setStroke(new BasicStroke(OUTLINE));
        halo.setStroke(new BasicStroke(OUTLINE + 2 * HALO));
    }

    /**
     * The halo of a class colour: dark under a light colour, light under a dark one, by the grey
     * level Paper.js gives the colour (0.2989 R + 0.587 G + 0.114 B, in 0..1) against 0.3, as the viewer does.
     */
    static Color haloOf(Color c) {
        double grey = (0.2989 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
        return grey > 0.3 ? DARK_HALO : LIGHT_HALO;
    }

    void region(Regions.Stored r) {
        Outline outline = Outline.parse(r.geometry()).simplified(downsample / 2);
        if (outline.isEmpty()) {
            return;
        }
        Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        for (List<double[]> rings : outline.polygons()) {
            for (double[] xy : rings) {
                path.moveTo((xy[0] - x0) / downsample, (xy[1] - y0) / downsample);
                for (int i = 2; i < xy.length; i += 2) {
                    path.lineTo((xy[i] - x0) / downsample, (xy[i + 1] - y0) / downsample);
                }
                path.closePath();
            }
        }
        Color c = colours.of(r.className(), r.properties());
        halo.setColor(haloOf(c));
        halo.draw(path);
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), FILL_ALPHA));
        g.fill(path);
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), LINE_ALPHA));
        g.draw(path);
        drawn++;
    }

    /** A region too small to show its shape: a dot of its box, at least one pixel. */
    void dot(RegionQueries.Box b) {
        Color c = colours.of(b.className(), b.properties());
        double x = (b.minX() - x0) / downsample, y = (b.minY() - y0) / downsample;
        double w = Math.max(1, (b.maxX() - b.minX()) / downsample), h = Math.max(1, (b.maxY() - b.minY()) / downsample);
        halo.setColor(haloOf(c));
        halo.fill(new java.awt.geom.Ellipse2D.Double(x - HALO, y - HALO, w + 2 * HALO, h + 2 * HALO));
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), LINE_ALPHA));
        g.fill(new Ellipse2D.Double(x, y, w, h));
        drawn++;
    }

    int drawn() {
        return drawn;
    }

    /** The picture drawn, halos under the regions (for drawing a whole level at once); nothing is drawn after. */
    BufferedImage image() {
        if (!flattened) {
            flattened = true;
            g.dispose();
            halo.drawImage(image, 0, 0, null);
            halo.dispose();
        }
        return halos;
    }

    /** The tile as PNG; all empty tiles of one size share one encoding. */
    byte[] png() {
        return encode(image(), drawn == 0);
    }

    private static final Map<Long, byte[]> EMPTY = new ConcurrentHashMap<>();

    /** As PNG; all empty (transparent) pictures of one size share one encoding. */
    static byte[] encode(BufferedImage image, boolean empty) {
        if (empty) {
            return EMPTY.computeIfAbsent(image.getWidth() * 100_000L + image.getHeight(), k -> encode(image));
        }
        return encode(image);
    }

    private static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
