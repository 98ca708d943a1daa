package org.histodraw.slides.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
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
public final class TestImages {

    private TestImages() {
    }

    /** The pattern's colour at (x, y), 0xRRGGBB. */
    static int pattern(int x, int y) {
        return ((x * 7) & 255) << 16 | ((y * 3) & 255) << 8 | ((x + y) & 255);
    }

    public static BufferedImage patternImage(int width, int height) {
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
        writeTiff(file, pages, tile, compression, resolution, null);
    }

    /** As above, with an ImageDescription when {@code description} is not null. */
    static void writeTiff(Path file, List<BufferedImage> pages, int tile, String compression, double resolution,
                          String description) throws IOException {
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
                if (description != null) {
                    TIFFDirectory dir = TIFFDirectory.createFromMetadata(metadata);
                    dir.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_IMAGE_DESCRIPTION),
                            TIFFTag.TIFF_ASCII, 1, new String[] {description}));
                    metadata = dir.getAsMetadata();
                }
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
        writeSparseTiledTiff(file, width, height, tile, false);
    }

    /** As above, as BigTIFF (64-bit offsets, little-endian) when {@code big}. */
    static void writeSparseTiledTiff(Path file, int width, int height, int tile, boolean big) throws IOException {
        int across = (width + tile - 1) / tile;
        int down = (height + tile - 1) / tile;
        long tiles = (long) across * down;
        int tileBytes = tile * tile * 3;
        int entries = 11;
        int offsetSize = big ? 8 : 4;
        long ifd = big ? 16 : 8;
        long bits = ifd + (big ? 8 + entries * 20L + 8 : 2 + entries * 12L + 4);
        long offsets = bits + 6;
        long counts = offsets + offsetSize * tiles;
        long data = counts + offsetSize * tiles;
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) data + tileBytes)
                .order(big ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        buf.put(big ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
        if (big) {
            buf.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(ifd);
            buf.putLong(entries);
        } else {
            buf.putShort((short) 42).putInt((int) ifd);
            buf.putShort((short) entries);
        }
        entry(buf, big, 256, 4, 1, width);            // ImageWidth
        entry(buf, big, 257, 4, 1, height);           // ImageLength
        entry(buf, big, 258, 3, 3, bits);             // BitsPerSample 8,8,8 (at offset)
        entry(buf, big, 259, 3, 1, 1);                // Compression: none
        entry(buf, big, 262, 3, 1, 2);                // Photometric: RGB
        entry(buf, big, 277, 3, 1, 3);                // SamplesPerPixel
        entry(buf, big, 284, 3, 1, 1);                // PlanarConfiguration: chunky
        entry(buf, big, 322, 4, 1, tile);             // TileWidth
        entry(buf, big, 323, 4, 1, tile);             // TileLength
        entry(buf, big, 324, big ? 16 : 4, tiles, offsets); // TileOffsets
        entry(buf, big, 325, big ? 16 : 4, tiles, counts);  // TileByteCounts
        if (big) {
            buf.putLong(0);
        } else {
            buf.putInt(0);
        }
        buf.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        for (int pass = 0; pass < 2; pass++) {
            for (long i = 0; i < tiles; i++) {
                long v = pass == 0 ? data : tileBytes;
                if (big) {
                    buf.putLong(v);
                } else {
                    buf.putInt((int) v);
                }
            }
        }
        for (int y = 0; y < tile; y++) {
            for (int x = 0; x < tile; x++) {
                int p = pattern(x, y);
                buf.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
            }
        }
        Files.write(file, buf.array());
    }

    /** One IFD entry; a SHORT or LONG value that fits sits left-justified in the value field. */
    private static void entry(java.nio.ByteBuffer buf, boolean big, int tag, int type, long count, long value) {
        buf.putShort((short) tag).putShort((short) type);
        if (big) {
            buf.putLong(count);
        } else {
            buf.putInt((int) count);
        }
        int start = buf.position();
        if (type == 3 && count == 1) {
            buf.putShort((short) value);
        } else if (big && type == 3 && count == 3) {
            buf.putShort((short) 8).putShort((short) 8).putShort((short) 8); // BitsPerSample fits inline
        } else if (type == 16 && count == 1 || big && count * (type == 3 ? 2 : type == 4 ? 4 : 8) > 8
                || !big && count * (type == 3 ? 2 : 4) > 4) {
            if (big) {
                buf.putLong(value);
            } else {
                buf.putInt((int) value);
            }
        } else {
            buf.putInt((int) value);
        }
        buf.position(start + (big ? 8 : 4));
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
