package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;

/** Test images made on the spot: a colour pattern whose every pixel can be recomputed. */
final class TestImages {

    private TestImages() {
    }

    /** The pattern's colour at (x, y), 0xRRGGBB. */
    static int pattern(int x, int y) {
        return ((x * 7) & 255) << 16 | ((y * 3) & 255) << 8 | ((x + y) & 255);
    }

    static BufferedImage patternImage(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = pattern(x, y);
            }
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        return img;
    }

    /**
     * Writes a TIFF with the JDK's TIFF writer: TwelveMonkeys' writer (3.14.0) writes strips only and
     * ignores tiling requests, the JDK's writes real tiles.
     *
     * @param tile tile size, or 0 for strips
     * @param resolution pixels per centimetre, or 0 for none
     */
    static void writeTiff(Path file, List<BufferedImage> pages, int tile, String compression, double resolution)
            throws IOException {
        ImageWriter writer = jdkTiffWriter();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage page : pages) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                if (tile > 0) {
                    param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setTiling(tile, tile, 0, 0);
                }
                if (compression != null) {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionType(compression);
                }
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(page), param);
                if (resolution > 0) {
                    TIFFDirectory dir = TIFFDirectory.createFromMetadata(metadata);
                    BaselineTIFFTagSet tags = BaselineTIFFTagSet.getInstance();
                    long[][] rational = {{Math.round(resolution * 1000), 1000}};
                    dir.addTIFFField(new TIFFField(tags.getTag(BaselineTIFFTagSet.TAG_X_RESOLUTION), TIFFTag.TIFF_RATIONAL, 1, rational));
                    dir.addTIFFField(new TIFFField(tags.getTag(BaselineTIFFTagSet.TAG_Y_RESOLUTION), TIFFTag.TIFF_RATIONAL, 1, rational));
                    dir.addTIFFField(new TIFFField(tags.getTag(BaselineTIFFTagSet.TAG_RESOLUTION_UNIT),
                            BaselineTIFFTagSet.RESOLUTION_UNIT_CENTIMETER));
                    metadata = dir.getAsMetadata();
                }
                writer.writeToSequence(new IIOImage(page, null, metadata), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    static ImageWriter jdkTiffWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                return w;
            }
        }
        throw new IllegalStateException("the JDK's TIFF writer is missing");
    }

    /**
     * A tiled, uncompressed RGB TIFF of any size whose tiles all share one block of data (TIFF allows
     * it), so a gigapixel image is a small file. Pixel (x, y) = {@link #pattern}(x mod tile, y mod tile).
     */
    static void writeSparseTiledTiff(Path file, int width, int height, int tile) throws IOException {
        int across = (width + tile - 1) / tile;
        int down = (height + tile - 1) / tile;
        long tiles = (long) across * down;
        int tileBytes = tile * tile * 3;
        // Layout: header (8), IFD (2 + 11 * 12 + 4), bits per sample (6), offsets, counts, tile data.
        int entries = 11;
        long ifd = 8;
        long bits = ifd + 2 + entries * 12L + 4;
        long offsets = bits + 6;
        long counts = offsets + 4 * tiles;
        long data = counts + 4 * tiles;
        if (data + tileBytes > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("too many tiles for a classic TIFF");
        }
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16))) {
            out.writeBytes("MM");
            out.writeShort(42);
            out.writeInt((int) ifd);
            out.writeShort(entries);
            entry(out, 256, 4, 1, width);                     // ImageWidth, LONG
            entry(out, 257, 4, 1, height);                    // ImageLength
            entry(out, 258, 3, 3, bits);                      // BitsPerSample 8,8,8 (at offset)
            entryShort(out, 259, 1);                          // Compression: none
            entryShort(out, 262, 2);                          // Photometric: RGB
            entryShort(out, 277, 3);                          // SamplesPerPixel
            entryShort(out, 284, 1);                          // PlanarConfiguration: chunky
            entry(out, 322, 4, 1, tile);                      // TileWidth
            entry(out, 323, 4, 1, tile);                      // TileLength
            entry(out, 324, 4, tiles, offsets);               // TileOffsets
            entry(out, 325, 4, tiles, counts);                // TileByteCounts
            out.writeInt(0);
            out.writeShort(8);
            out.writeShort(8);
            out.writeShort(8);
            for (long i = 0; i < tiles; i++) {
                out.writeInt((int) data);
            }
            for (long i = 0; i < tiles; i++) {
                out.writeInt(tileBytes);
            }
            for (int y = 0; y < tile; y++) {
                for (int x = 0; x < tile; x++) {
                    int p = pattern(x, y);
                    out.writeByte(p >> 16);
                    out.writeByte(p >> 8);
                    out.writeByte(p);
                }
            }
        }
    }

    private static void entry(DataOutputStream out, int tag, int type, long count, long value) throws IOException {
        out.writeShort(tag);
        out.writeShort(type);
        out.writeInt((int) count);
        out.writeInt((int) value);
    }

    private static void entryShort(DataOutputStream out, int tag, int value) throws IOException {
        out.writeShort(tag);
        out.writeShort(3);
        out.writeInt(1);
        out.writeShort(value);
        out.writeShort(0);
    }

    /** Float RGB of the pattern at (x, y) compared with the raster, to 1/512. */
    static void assertPattern(org.histodraw.engine.raster.Raster raster, int x0, int y0, java.util.function.IntBinaryOperator expected) {
        for (int y = 0; y < raster.height(); y++) {
            for (int x = 0; x < raster.width(); x++) {
                int p = expected.applyAsInt(x0 + x, y0 + y);
                for (int c = 0; c < 3; c++) {
                    float want = ((p >> (16 - 8 * c)) & 0xff) / 255f;
                    float got = raster.get(c, x, y);
                    if (Math.abs(want - got) > 1f / 512) {
                        throw new AssertionError("pixel (" + (x0 + x) + ", " + (y0 + y) + ") channel " + c + ": expected "
                                + want + " but was " + got);
                    }
                }
            }
        }
    }
}
