package org.histodraw.app.microdraw;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.slides.png.PngWriter;
import org.histodraw.slides.pyramid.PyramidLayout;

/**
 * A Deep Zoom image as MicroDraw serves slides ({@code name.dzi} beside {@code name_files/LEVEL/COL_ROW.EXT},
 * written by {@code vips dzsave} or deepzoom.py) turned back into its full-resolution image: the tiles of
 * the top level, their overlaps cut off, written as a PNG row band by row band, so memory holds one row of
 * tiles whatever the image's size. The pixels are those of the tiles (already JPEG-compressed when the
 * pyramid is JPEG); where the original images still exist, import those instead.
 */
public final class DeepZoomImage {
    private final Path dzi;
    private final PyramidLayout layout;

    private DeepZoomImage(Path dzi, PyramidLayout layout) {
        this.dzi = dzi;
        this.layout = layout;
    }

    /** Reads the descriptor; fails naming the file and what is wrong. */
    public static DeepZoomImage open(Path dzi) throws IOException {
        if (!Files.isRegularFile(dzi)) {
            throw new IOException("no Deep Zoom descriptor " + dzi);
        }
        try {
            return new DeepZoomImage(dzi, PyramidLayout.parseDzi(Files.readString(dzi, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new IOException(dzi.getFileName() + ": " + e.getMessage());
        }
    }

    public int width() {
        return layout.width();
    }

    public int height() {
        return layout.height();
    }

    /** The image's name: the descriptor's file name without {@code .dzi}. */
    public String name() {
        String file = dzi.getFileName().toString();
        return file.endsWith(".dzi") ? file.substring(0, file.length() - 4) : file;
    }

    /** Writes the full-resolution image as an RGB PNG (with the pixel size when known). */
    public void writePng(OutputStream out, Optional<Double> micronsPerPixel) throws IOException {
        int level = layout.maxLevel();
        int tile = layout.tileSize();
        int columns = layout.columns(level);
        byte[] row = new byte[3 * layout.width()];
        try (PngWriter png = PngWriter.rgb(out, layout.width(), layout.height(), micronsPerPixel)) {
            for (int r = 0; r < layout.rows(level); r++) {
                BufferedImage[] tiles = new BufferedImage[columns];
                PixelRegion[] regions = new PixelRegion[columns];
                for (int c = 0; c < columns; c++) {
                    regions[c] = layout.tileRegion(level, c, r);
                    tiles[c] = tile(level, c, r, regions[c]);
                }
                int y1 = Math.min(layout.height(), (r + 1) * tile);
                for (int y = r * tile; y < y1; y++) {
                    for (int c = 0; c < columns; c++) {
                        int x1 = Math.min(layout.width(), (c + 1) * tile);
                        for (int x = c * tile; x < x1; x++) {
                            int rgb = tiles[c].getRGB(x - regions[c].x(), y - regions[c].y());
                            row[3 * x] = (byte) (rgb >> 16);
                            row[3 * x + 1] = (byte) (rgb >> 8);
                            row[3 * x + 2] = (byte) rgb;
                        }
                    }
                    png.writeRow(row, 0);
                }
            }
            png.finish();
        }
    }

    private BufferedImage tile(int level, int c, int r, PixelRegion region) throws IOException {
        Path folder = dzi.resolveSibling(name() + "_files").resolve(Integer.toString(level));
        String stem = c + "_" + r + ".";
        // the file extension is the descriptor's Format as written ("jpeg" in MicroDraw's examples, "jpg" from vips)
        Path file = folder.resolve(stem + layout.format().extension());
        for (String ext : new String[] {"jpeg", "JPG", "jpg", "png"}) {
            if (!Files.isRegularFile(file)) {
                file = folder.resolve(stem + ext);
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(name() + ": missing tile " + folder.resolve(stem + layout.format().extension()));
        }
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException(name() + ": tile " + file + " is not an image Java can read");
        }
        if (image.getWidth() != region.width() || image.getHeight() != region.height()) {
            throw new IOException(name() + ": tile " + file.getFileName() + " is " + image.getWidth() + " x " + image.getHeight()
                    + " px, the descriptor makes it " + region.width() + " x " + region.height());
        }
        return image;
    }
}
