package org.histodraw.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.LabelRaster;

/**
 * Small synthetic H&amp;E-like slides for the tests: pink stroma with dark purple round nuclei and
 * a little noise, reproducible from a seed, with scribble labels (1 background, 2 nucleus) on a few
 * of the nuclei and background patches.
 */
final class CohortImages {
    final BufferedImage image;
    final LabelRaster scribbles;

    private CohortImages(BufferedImage image, LabelRaster scribbles) {
        this.image = image;
        this.scribbles = scribbles;
    }

    static CohortImages generate(int width, int height, long seed) {
        Random random = new Random(seed);
        int nuclei = Math.max(4, width * height / 2500);
        int[] cx = new int[nuclei];
        int[] cy = new int[nuclei];
        int[] r = new int[nuclei];
        for (int i = 0; i < nuclei; i++) {
            cx[i] = random.nextInt(width);
            cy[i] = random.nextInt(height);
            r[i] = 5 + random.nextInt(9);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        LabelRaster labels = LabelRaster.allocate(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int nucleus = -1;
                for (int i = 0; i < nuclei; i++) {
                    int dx = x - cx[i];
                    int dy = y - cy[i];
                    if (dx * dx + dy * dy <= r[i] * r[i]) {
                        nucleus = i;
                        break;
                    }
                }
                int noise = random.nextInt(25) - 12;
                int red = nucleus >= 0 ? 90 : 230;
                int green = nucleus >= 0 ? 60 : 170;
                int blue = nucleus >= 0 ? 150 : 200;
                image.setRGB(x, y, (clamp(red + noise) << 16) | (clamp(green + noise) << 8) | clamp(blue + noise));
                // Scribbles: the cores of every third nucleus, and background on a sparse grid of dots.
                if (nucleus >= 0 && nucleus % 3 == 0) {
                    int dx = x - cx[nucleus];
                    int dy = y - cy[nucleus];
                    if (dx * dx + dy * dy <= (r[nucleus] - 2) * (r[nucleus] - 2)) {
                        labels.set(x, y, 2);
                    }
                } else if (nucleus < 0 && x % 23 < 3 && y % 19 < 3 && farFromNuclei(x, y, cx, cy, r)) {
                    labels.set(x, y, 1);
                }
            }
        }
        return new CohortImages(image, labels);
    }

    Path write(Path file) {
        try {
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean farFromNuclei(int x, int y, int[] cx, int[] cy, int[] r) {
        for (int i = 0; i < cx.length; i++) {
            int dx = x - cx[i];
            int dy = y - cy[i];
            int reach = r[i] + 3;
            if (dx * dx + dy * dy <= reach * reach) {
                return false;
            }
        }
        return true;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
