package org.histodraw.engine.forest;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;

/**
 * The H&amp;E nuclei images of the shared data (test only: the engine itself reads no files), and a
 * small hand-made feature stack for them: per RGB channel the value, box means of radius 1, 2, 4
 * and 8, a difference of box means and the local deviation from the radius-2 mean (21 features).
 */
final class GbmNuclei {
    static final int FEATURES = 21;

    private GbmNuclei() {
    }

    /** The folder, or null when the shared data is absent. */
    static File folder() {
        String data = System.getProperty("histodraw.data");
        if (data == null) {
            return null;
        }
        File dir = new File(data, "gbm-nuclei");
        return new File(dir, "01.png").isFile() ? dir : null;
    }

    static Raster rgb(File dir, int image) {
        BufferedImage img = read(new File(dir, String.format("%02d.png", image)));
        int w = img.getWidth();
        int h = img.getHeight();
        return Raster.fromPackedRgb(w, h, img.getRGB(0, 0, w, h, null, 0, w));
    }

    static LabelRaster truth(File dir, int image) {
        return labels(new File(dir, String.format("%02d_truth.png", image)));
    }

    static LabelRaster scribbles(File dir, int image) {
        return labels(new File(dir, String.format("%02d_scribbles.png", image)));
    }

    private static LabelRaster labels(File file) {
        BufferedImage img = read(file);
        LabelRaster l = LabelRaster.allocate(img.getWidth(), img.getHeight());
        var raster = img.getRaster();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                l.set(x, y, raster.getSample(x, y, 0));
            }
        }
        return l;
    }

    private static BufferedImage read(File file) {
        try {
            BufferedImage img = ImageIO.read(file);
            if (img == null) {
                throw new IllegalStateException("not an image: " + file);
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Raster features(Raster rgb) {
        int w = rgb.width();
        int h = rgb.height();
        Raster out = Raster.allocate(w, h, FEATURES);
        for (int c = 0; c < 3; c++) {
            float[] v = rgb.plane(c);
            float[] b1 = boxMean(v, w, h, 1);
            float[] b2 = boxMean(v, w, h, 2);
            float[] b4 = boxMean(v, w, h, 4);
            float[] b8 = boxMean(v, w, h, 8);
            int o = c * 7;
            System.arraycopy(v, 0, out.plane(o), 0, v.length);
            System.arraycopy(b1, 0, out.plane(o + 1), 0, v.length);
            System.arraycopy(b2, 0, out.plane(o + 2), 0, v.length);
            System.arraycopy(b4, 0, out.plane(o + 3), 0, v.length);
            System.arraycopy(b8, 0, out.plane(o + 4), 0, v.length);
            for (int i = 0; i < v.length; i++) {
                out.plane(o + 5)[i] = b2[i] - b8[i];
                out.plane(o + 6)[i] = Math.abs(v[i] - b2[i]);
            }
        }
        return out;
    }

    /** Mean over a (2r+1)^2 window clipped to the image, via a summed-area table. */
    private static float[] boxMean(float[] v, int w, int h, int r) {
        double[] sat = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int x = 0; x < w; x++) {
                row += v[y * w + x];
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - r);
            int y1 = Math.min(h, y + r + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - r);
                int x1 = Math.min(w, x + r + 1);
                double s = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0] + sat[y0 * (w + 1) + x0];
                out[y * w + x] = (float) (s / ((y1 - y0) * (x1 - x0)));
            }
        }
        return out;
    }
}
