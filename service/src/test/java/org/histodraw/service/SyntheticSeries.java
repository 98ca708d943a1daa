package org.histodraw.service;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;

/**
 * The small fixture shipped with the service's tests: a series of H&amp;E-like slides made from a
 * seed (pink stroma with grain, purple nuclei as discs of varying size and tint), with their
 * truth and a few small regions per class, as a user would draw them. Generated rather than stored
 * so that the repository holds no image data of unclear licence, and every run sees the same pixels.
 */
final class SyntheticSeries {
    static final ClassList CLASSES = ClassList.named(List.of("Background", "Nucleus"));

    record Slide(byte[] png, LabelRaster truth, List<ClassifiedPolygon> regions) {
    }

    private record Disc(double x, double y, double r) {
    }

    static List<Slide> make(int count, int size, long seed) {
        List<Slide> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(slide(size, new Random(seed * 1000 + i)));
        }
        return out;
    }

    private static Slide slide(int size, Random random) {
        List<Disc> discs = new ArrayList<>();
        int wanted = size * size / 1800;
        for (int tries = 0; discs.size() < wanted && tries < wanted * 20; tries++) {
            Disc d = new Disc(8 + random.nextDouble() * (size - 16), 8 + random.nextDouble() * (size - 16),
                    4 + random.nextDouble() * 6);
            if (discs.stream().noneMatch(o -> Math.hypot(o.x() - d.x(), o.y() - d.y()) < o.r() + d.r() + 3)) {
                discs.add(d);
            }
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        LabelRaster truth = LabelRaster.allocate(size, size);
        double tint = random.nextGaussian() * 6;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double inside = 0;
                for (Disc d : discs) {
                    double dist = Math.hypot(x + 0.5 - d.x(), y + 0.5 - d.y());
                    inside = Math.max(inside, Math.max(0, Math.min(1, d.r() + 0.5 - dist)));
                }
                double wave = 8 * Math.sin(x / 23.0) * Math.cos(y / 31.0);
                double r = mix(232 + wave, 95, inside) + tint + random.nextGaussian() * 7;
                double g = mix(185 + wave, 55, inside) + random.nextGaussian() * 7;
                double b = mix(208, 150, inside) - tint + random.nextGaussian() * 7;
                image.setRGB(x, y, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
                truth.set(x, y, inside >= 0.5 ? 2 : 1);
            }
        }
        return new Slide(png(image), truth, regions(discs, size, random));
    }

    /** Four small squares inside nuclei and four in the stroma away from any nucleus. */
    private static List<ClassifiedPolygon> regions(List<Disc> discs, int size, Random random) {
        List<ClassifiedPolygon> out = new ArrayList<>();
        for (int i = 0; i < Math.min(4, discs.size()); i++) {
            Disc d = discs.get(i);
            double h = d.r() * 0.5;
            out.add(square(CLASSES.get(2).index(), d.x() - h, d.y() - h, 2 * h));
        }
        int found = 0;
        for (int tries = 0; found < 4 && tries < 10_000; tries++) {
            double x = 10 + random.nextDouble() * (size - 30), y = 10 + random.nextDouble() * (size - 30);
            if (discs.stream().allMatch(d -> Math.hypot(d.x() - x - 5, d.y() - y - 5) > d.r() + 10)) {
                out.add(square(1, x, y, 10));
                found++;
            }
        }
        return out;
    }

    private static ClassifiedPolygon square(int cls, double x, double y, double side) {
        return new ClassifiedPolygon(CLASSES.get(cls), new Polygon(new Ring(new double[] {x, y, x + side, y, x + side,
                y + side, x, y + side})));
    }

    private static double mix(double a, double b, double t) {
        return a + (b - a) * t;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
