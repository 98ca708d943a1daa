package org.histodraw.slides.pyramid;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.engine.raster.PixelRegion;

/**
 * The geometry of a Deep Zoom pyramid: level {@link #maxLevel()} is the full-resolution image,
 * each level below halves it (rounding up) down to level 0 of 1 x 1 pixel. Tiles are
 * {@code tileSize} pixels square before overlap; each tile also carries {@code overlap} pixels of
 * its neighbours on the sides that have neighbours, as OpenSeadragon expects.
 */
public record PyramidLayout(int width, int height, int tileSize, int overlap, TileFormat format) {
    private static final Pattern TILE_SIZE = Pattern.compile("TileSize\\s*=\\s*\"(\\d+)\"");
    private static final Pattern OVERLAP = Pattern.compile("Overlap\\s*=\\s*\"(\\d+)\"");
    private static final Pattern FORMAT = Pattern.compile("Format\\s*=\\s*\"(\\w+)\"");
    private static final Pattern WIDTH = Pattern.compile("Width\\s*=\\s*\"(\\d+)\"");
    private static final Pattern HEIGHT = Pattern.compile("Height\\s*=\\s*\"(\\d+)\"");

    public PyramidLayout {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive: " + width + " x " + height);
        }
        if (tileSize < 16 || tileSize > 4096) {
            throw new IllegalArgumentException("tile size must be 16..4096: " + tileSize);
        }
        if (overlap < 0 || overlap > tileSize / 2) {
            throw new IllegalArgumentException("overlap must be 0.." + tileSize / 2 + ": " + overlap);
        }
        if (format == null) {
            throw new IllegalArgumentException("tile format must be given");
        }
    }

    /** The full-resolution level: ceil(log2(max(width, height))). */
    public int maxLevel() {
        int longest = Math.max(width, height);
        return longest == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(longest - 1);
    }

    public int levelCount() {
        return maxLevel() + 1;
    }

    /** How many times level {@code level} is smaller than the full image (a power of two). */
    public long downsample(int level) {
        checkLevel(level);
        return 1L << (maxLevel() - level);
    }

    public int levelWidth(int level) {
        return (int) ceilDiv(width, downsample(level));
    }

    public int levelHeight(int level) {
        return (int) ceilDiv(height, downsample(level));
    }

    public int columns(int level) {
        return (int) ceilDiv(levelWidth(level), tileSize);
    }

    public int rows(int level) {
        return (int) ceilDiv(levelHeight(level), tileSize);
    }

    public long tileCount(int level) {
        return (long) columns(level) * rows(level);
    }

    public long tileCount() {
        long n = 0;
        for (int level = 0; level <= maxLevel(); level++) {
            n += tileCount(level);
        }
        return n;
    }

    public boolean hasTile(int level, int column, int row) {
        return level >= 0 && level <= maxLevel() && column >= 0 && row >= 0
                && column < columns(level) && row < rows(level);
    }

    /** The pixels of one tile in its level's coordinates, overlap included. */
    public PixelRegion tileRegion(int level, int column, int row) {
        if (!hasTile(level, column, row)) {
            throw new IllegalArgumentException("no tile " + column + "_" + row + " at level " + level + " of " + this);
        }
        int x0 = Math.max(0, column * tileSize - overlap);
        int y0 = Math.max(0, row * tileSize - overlap);
        int x1 = Math.min(levelWidth(level), (column + 1) * tileSize + overlap);
        int y1 = Math.min(levelHeight(level), (row + 1) * tileSize + overlap);
        return new PixelRegion(x0, y0, x1 - x0, y1 - y0);
    }

    /** The {@code .dzi} descriptor. */
    public String toDzi() {
        return String.format(Locale.ROOT, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="%s" Overlap="%d" TileSize="%d">
                  <Size Width="%d" Height="%d"/>
                </Image>
                """, format.extension(), overlap, tileSize, width, height);
    }

    /** Reads a descriptor written by {@link #toDzi()} (or by other DZI writers using jpg, jpeg or png). */
    public static PyramidLayout parseDzi(String xml) {
        return new PyramidLayout(intAttribute(WIDTH, xml), intAttribute(HEIGHT, xml), intAttribute(TILE_SIZE, xml),
                intAttribute(OVERLAP, xml), TileFormat.parse(attribute(FORMAT, xml)));
    }

    private void checkLevel(int level) {
        if (level < 0 || level > maxLevel()) {
            throw new IllegalArgumentException("level must be 0.." + maxLevel() + ": " + level);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static String attribute(Pattern p, String xml) {
        Matcher m = p.matcher(xml);
        if (!m.find()) {
            throw new IllegalArgumentException("DZI descriptor lacks " + p.pattern().substring(0, p.pattern().indexOf('\\')));
        }
        return m.group(1);
    }

    private static int intAttribute(Pattern p, String xml) {
        try {
            return Integer.parseInt(attribute(p, xml));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DZI descriptor has a number out of range: " + e.getMessage());
        }
    }
}
