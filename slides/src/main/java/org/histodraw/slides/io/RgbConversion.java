package org.histodraw.slides.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import org.histodraw.engine.raster.Raster;

/**
 * Turns decoded pixels of any common layout into the engine's R, G, B planes in [0, 1].
 *
 * <ul>
 *   <li>Sample values are taken as the file stores them, divided by the largest value their bit
 *       depth allows (255, 65535, 31 for 5-bit...). No colour management: an embedded ICC profile
 *       is not applied, so a model sees exactly the numbers its training images had.</li>
 *   <li>Grayscale becomes R = G = B = value (Java's "linear gray" colour space is ignored, as the
 *       value is what the scanner or the user wrote).</li>
 *   <li>Palette images are looked up in their palette.</li>
 *   <li>Alpha is composited on white ({@code c * a + (1 - a)}; premultiplied data {@code c + (1 - a)}),
 *       because slide backgrounds are white glass and a transparent border must not look like
 *       black tissue.</li>
 *   <li>Anything else (CMYK, YCbCr left undecoded, signed or 32-bit integers) goes through the
 *       colour model's own sRGB conversion.</li>
 * </ul>
 * Reading the pixels of one {@link BufferedImage} from several threads at once is safe; the
 * fallback conversion locks the image because colour-space conversions are not.
 */
final class RgbConversion {

    private RgbConversion() {
    }

    /** An RGB raster in [0, 1] as opaque 0xFFRRGGBB pixels (8-bit samples come back exactly). */
    static int[] packed(Raster rgb) {
        float[] r = rgb.plane(0), g = rgb.plane(1), b = rgb.plane(2);
        int[] out = new int[r.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 0xff000000 | eight(r[i]) << 16 | eight(g[i]) << 8 | eight(b[i]);
        }
        return out;
    }

    /** Full-range YCbCr (JPEG's, ITU-R BT.601) as an opaque 0xFFRRGGBB pixel. */
    static int fromYCbCr(int y, int cb, int cr) {
        float lum = y;
        float b = cb - 128f;
        float r = cr - 128f;
        return 0xff000000 | byteOf(lum + 1.402f * r) << 16 | byteOf(lum - 0.344136f * b - 0.714136f * r) << 8 | byteOf(lum + 1.772f * b);
    }

    private static int byteOf(float v) {
        int q = Math.round(v);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }

    private static int eight(float v) {
        int q = Math.round(v * 255f);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }

    /** The pixels {@code [x, x + w) x [y, y + h)} of {@code image} as an RGB raster. */
    static Raster toRgb(BufferedImage image, int x, int y, int w, int h) {
        ColorModel cm = image.getColorModel();
        WritableRaster src = image.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return indexed(src, icm, x, y, w, h);
        }
        if (isPlainComponents(cm, src)) {
            return components(src, cm, x, y, w, h);
        }
        return viaColourModel(image, x, y, w, h);
    }

    private static boolean isPlainComponents(ColorModel cm, java.awt.image.Raster src) {
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        boolean rgbOrGray = (type == ColorSpace.TYPE_RGB && colours == 3) || (type == ColorSpace.TYPE_GRAY && colours == 1);
        if (!rgbOrGray || src.getNumBands() < colours + (cm.hasAlpha() ? 1 : 0)) {
            return false;
        }
        int dataType = src.getTransferType();
        if (dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE) {
            return true;
        }
        if (dataType != DataBuffer.TYPE_BYTE && dataType != DataBuffer.TYPE_USHORT && dataType != DataBuffer.TYPE_INT) {
            return false;
        }
        for (int c = 0; c < cm.getNumComponents(); c++) {
            if (cm.getComponentSize(c) < 1 || cm.getComponentSize(c) > 16) {
                return false;
            }
        }
        return true;
    }

    /** {@code i / 255f} for the 256 levels of an 8-bit sample: what the general path computes, looked up. */
    private static final float[] EIGHT_BIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            EIGHT_BIT[i] = i / 255f;
        }
    }

    private static Raster components(WritableRaster src, ColorModel cm, int x, int y, int w, int h) {
        if (!cm.hasAlpha() && src.getSampleModel() instanceof ComponentSampleModel sm
                && src.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
                && cm.getComponentSize(0) == 8) {
            return eightBitInterleaved(src, sm, bytes.getData(), bytes.getOffset(), cm.getNumColorComponents(), x, y, w, h);
        }
        Raster out = Raster.allocate(w, h, 3);
        int colours = cm.getNumColorComponents();
        boolean floating = src.getTransferType() == DataBuffer.TYPE_FLOAT || src.getTransferType() == DataBuffer.TYPE_DOUBLE;
        int sx = x + src.getMinX();
        int sy = y + src.getMinY();
        float[] buf = new float[w * h];
        for (int c = 0; c < colours; c++) {
            src.getSamples(sx, sy, w, h, c, buf);
            float max = floating ? 1f : (1 << cm.getComponentSize(c)) - 1;
            float[] plane = out.plane(c);
            for (int i = 0; i < buf.length; i++) {
                plane[i] = clamp(buf[i] / max);
            }
        }
        if (colours == 1) {
            System.arraycopy(out.plane(0), 0, out.plane(1), 0, w * h);
            System.arraycopy(out.plane(0), 0, out.plane(2), 0, w * h);
        }
        if (cm.hasAlpha()) {
            src.getSamples(sx, sy, w, h, colours, buf);
            float max = floating ? 1f : (1 << cm.getComponentSize(colours)) - 1;
            boolean premultiplied = cm.isAlphaPremultiplied();
            for (int c = 0; c < 3; c++) {
                float[] plane = out.plane(c);
                for (int i = 0; i < buf.length; i++) {
                    float a = clamp(buf[i] / max);
                    if (a < 1) {
                        plane[i] = clamp(premultiplied ? plane[i] + (1 - a) : 1 - a * (1 - plane[i]));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The common case (8-bit RGB or grey, no alpha, samples in one byte array: PNG, JPEG and most TIFF
     * strips as ImageIO decodes them) read straight from the array, row by row; the same numbers as
     * the general path, several times faster than {@code getSamples}.
     */
    private static Raster eightBitInterleaved(WritableRaster src, ComponentSampleModel sm, byte[] data, int offset,
                                             int colours, int x, int y, int w, int h) {
        Raster out = Raster.allocate(w, h, 3);
        int pixelStride = sm.getPixelStride();
        int scanlineStride = sm.getScanlineStride();
        int[] bandOffsets = sm.getBandOffsets();
        // Where pixel (0, 0) of this raster lies in the array (a child raster starts inside its parent's).
        int origin = offset - src.getSampleModelTranslateX() * pixelStride - src.getSampleModelTranslateY() * scanlineStride;
        for (int c = 0; c < colours; c++) {
            float[] plane = out.plane(c);
            int band = bandOffsets[c];
            for (int j = 0; j < h; j++) {
                int in = origin + (src.getMinY() + y + j) * scanlineStride + (src.getMinX() + x) * pixelStride + band;
                int o = j * w;
                for (int i = 0; i < w; i++, in += pixelStride) {
                    plane[o + i] = EIGHT_BIT[data[in] & 0xff];
                }
            }
        }
        if (colours == 1) {
            System.arraycopy(out.plane(0), 0, out.plane(1), 0, w * h);
            System.arraycopy(out.plane(0), 0, out.plane(2), 0, w * h);
        }
        return out;
    }

    private static Raster indexed(WritableRaster src, IndexColorModel icm, int x, int y, int w, int h) {
        int size = icm.getMapSize();
        float[][] lut = new float[3][size];
        for (int i = 0; i < size; i++) {
            int argb = icm.getRGB(i);
            float a = (argb >>> 24) / 255f;
            lut[0][i] = composite((argb >> 16) & 0xff, a);
            lut[1][i] = composite((argb >> 8) & 0xff, a);
            lut[2][i] = composite(argb & 0xff, a);
        }
        int[] index = src.getSamples(x + src.getMinX(), y + src.getMinY(), w, h, 0, new int[w * h]);
        Raster out = Raster.allocate(w, h, 3);
        for (int c = 0; c < 3; c++) {
            float[] plane = out.plane(c);
            float[] table = lut[c];
            for (int i = 0; i < index.length; i++) {
                plane[i] = table[Math.min(index[i], size - 1)];
            }
        }
        return out;
    }

    private static Raster viaColourModel(BufferedImage image, int x, int y, int w, int h) {
        Raster out = Raster.allocate(w, h, 3);
        int[] row = new int[w];
        float[] r = out.plane(0), g = out.plane(1), b = out.plane(2);
        synchronized (image) {
            for (int j = 0; j < h; j++) {
                image.getRGB(x, y + j, w, 1, row, 0, w);
                for (int i = 0; i < w; i++) {
                    int argb = row[i];
                    float a = (argb >>> 24) / 255f;
                    int k = j * w + i;
                    r[k] = composite((argb >> 16) & 0xff, a);
                    g[k] = composite((argb >> 8) & 0xff, a);
                    b[k] = composite(argb & 0xff, a);
                }
            }
        }
        return out;
    }

    /** An 8-bit non-premultiplied channel composited on white. */
    private static float composite(int value, float alpha) {
        return alpha >= 1 ? value / 255f : clamp(1 - alpha * (1 - value / 255f));
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
