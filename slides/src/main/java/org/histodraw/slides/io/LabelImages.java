package org.histodraw.slides.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.histodraw.engine.raster.LabelRaster;

/**
 * Reads training labels drawn as an image the size of the slide (e.g. {@code 01_scribbles.png}).
 *
 * <ul>
 *   <li><b>Grayscale</b> (8 or 16 bit): the value is the label, 0 unlabelled, 1..255 classes.</li>
 *   <li><b>Palette</b> (indexed PNG, as HistoDraw, ilastik and PASCAL-style masks are saved): the
 *       palette index is the label, 0 unlabelled, and the palette colour becomes the class colour.</li>
 *   <li><b>Colour</b> (RGB): each distinct colour other than black is a class, numbered
 *       1..K in ascending order of its 0xRRGGBB value (so the numbering does not depend on where
 *       colours first appear); black is unlabelled. {@link LabelImage#colours()} tells which colour
 *       became which value.</li>
 *   <li>A colour image whose labelled pixels are all gray (R = G = B) is read like a grayscale one,
 *       as tools often save gray masks as RGB or with a gray palette.</li>
 *   <li>Fully transparent pixels are unlabelled, whatever their colour; other alpha is ignored.</li>
 * </ul>
 * JPEG is refused (its compression changes the values at every edge), and so are colour images with
 * more than 255 colours (anti-aliased brushes): draw labels with hard-edged brushes in flat colours.
 */
public final class LabelImages {

    private LabelImages() {
    }

    public static LabelImage read(Path file) {
        return read(file, SlideLimits.DEFAULT);
    }

    public static LabelImage read(Path file, SlideLimits limits) {
        SlideImages.Decoded decoded = SlideImages.decodeWhole(file, limits);
        if ("JPEG".equals(decoded.format())) {
            throw new SlideException(file, "labels cannot be JPEG", "lossy compression changes label values; save them as PNG or TIFF");
        }
        BufferedImage image = decoded.image();
        ColorModel cm = image.getColorModel();
        boolean gray = !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && cm.getNumColorComponents() == 1;
        if (cm instanceof IndexColorModel palette && image.getRaster().getNumBands() == 1) {
            LabelImage indices = fromGray(file, image);
            Map<Integer, Integer> colours = new HashMap<>();
            for (int v : indices.values()) {
                colours.put(v, palette.getRGB(v) & 0xffffff);
            }
            return new LabelImage(indices.labels(), indices.values(), colours);
        }
        return gray ? fromGray(file, image) : fromColours(file, image);
    }

    private static LabelImage fromGray(Path file, BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        WritableRaster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        boolean alpha = cm.hasAlpha() && raster.getNumBands() > 1;
        LabelRaster labels = LabelRaster.allocate(w, h);
        byte[] out = labels.data();
        boolean[] seen = new boolean[256];
        int[] row = new int[w];
        int[] alphaRow = alpha ? new int[w] : null;
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            if (alpha) {
                raster.getSamples(0, y, w, 1, 1, alphaRow);
            }
            for (int x = 0; x < w; x++) {
                int v = alpha && alphaRow[x] == 0 ? 0 : row[x];
                if (v > 255) {
                    throw new SlideException(file, "label values must be 0..255", "found " + v + " at (" + x + ", " + y + ")");
                }
                out[y * w + x] = (byte) v;
                seen[v] = true;
            }
        }
        List<Integer> values = new ArrayList<>();
        for (int v = 1; v < 256; v++) {
            if (seen[v]) {
                values.add(v);
            }
        }
        return new LabelImage(labels, values, Map.of());
    }

    private static LabelImage fromColours(Path file, BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        // First pass: the colours present (ARGB with alpha 0 counted as unlabelled).
        TreeSet<Integer> colours = new TreeSet<>();
        boolean allGray = true;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = labelledRgb(row[x]);
                if (rgb != 0 && colours.add(rgb)) {
                    allGray &= isGray(rgb);
                    if (colours.size() > 255) {
                        throw new SlideException(file, "too many colours for a label image",
                                "more than 255; anti-aliased brush edges? draw labels in flat colours without smoothing");
                    }
                }
            }
        }
        Map<Integer, Integer> valueOfRgb = new HashMap<>();
        Map<Integer, Integer> colourOfValue = new HashMap<>();
        int next = 1;
        for (int rgb : colours) {
            int value = allGray ? rgb & 0xff : next++;
            valueOfRgb.put(rgb, value);
            if (!allGray) {
                colourOfValue.put(value, rgb);
            }
        }
        LabelRaster labels = LabelRaster.allocate(w, h);
        byte[] out = labels.data();
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = labelledRgb(row[x]);
                out[y * w + x] = (byte) (rgb == 0 ? 0 : valueOfRgb.get(rgb));
            }
        }
        List<Integer> values = new ArrayList<>(new TreeSet<>(valueOfRgb.values()));
        return new LabelImage(labels, values, colourOfValue);
    }

    /** 0xRRGGBB of a labelled pixel, 0 for black or fully transparent ones. */
    private static int labelledRgb(int argb) {
        return (argb >>> 24) == 0 ? 0 : argb & 0xffffff;
    }

    private static boolean isGray(int rgb) {
        int r = (rgb >> 16) & 0xff;
        return r == ((rgb >> 8) & 0xff) && r == (rgb & 0xff);
    }
}
