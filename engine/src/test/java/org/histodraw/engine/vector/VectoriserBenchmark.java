package org.histodraw.engine.vector;

import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Speed of tracing (and simplifying) a 4096 x 4096 class map of realistic blobs, streamed in strips.
 * Run: {@code java -cp engine/target/classes:engine/target/test-classes org.histodraw.engine.vector.VectoriserBenchmark [size] [cell]}
 */
public final class VectoriserBenchmark {

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int cell = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        int classes = 3;
        LabelRaster map = ClassMaps.blobs(size, size, classes, cell, true, 42);
        ClassList list = ClassList.numbered(classes);
        int strip = 256;
        double mpx = (double) size * size / 1e6;
        System.out.printf("class map %d x %d (%.1f Mpx), blob cell %d px, %d classes + background, strips of %d rows%n",
                size, size, mpx, cell, classes, strip);
        List<ClassifiedPolygon> polygons = null;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            ClassMapVectoriser v = new ClassMapVectoriser(size, list);
            for (int y = 0; y < size; y += strip) {
                v.accept(map.crop(new PixelRegion(0, y, size, Math.min(strip, size - y))), y);
            }
            polygons = v.finish();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("trace   round %d: %.3f s, %.1f Mpx/s, %d polygons, %.0f polygons/s%n",
                    round, s, mpx / s, polygons.size(), polygons.size() / s);
        }
        long vertices = 0;
        long holes = 0;
        for (ClassifiedPolygon p : polygons) {
            vertices += p.polygon().shell().size();
            holes += p.polygon().holes().size();
            for (Ring h : p.polygon().holes()) {
                vertices += h.size();
            }
        }
        System.out.printf("traced: %d polygons, %d holes, %d vertices%n", polygons.size(), holes, vertices);
        simplify(polygons, vertices);
        nuclei(size);
    }

    /** Stroma full of nuclei: one polygon with tens of thousands of holes, the hard case for hole handling. */
    private static void nuclei(int size) {
        LabelRaster map = LabelRaster.allocate(size, size);
        java.util.Arrays.fill(map.data(), (byte) 1);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        int count = 0;
        for (int i = 0; i < size * size / 600; i++) {
            int cx = 8 + random.nextInt(size - 16);
            int cy = 8 + random.nextInt(size - 16);
            int r = 2 + random.nextInt(4);
            for (int y = -r; y <= r; y++) {
                for (int x = -r; x <= r; x++) {
                    if (x * x + y * y <= r * r) {
                        map.set(cx + x, cy + y, 2);
                    }
                }
            }
            count++;
        }
        System.out.printf("nuclei: %d discs of class 2 in class 1, %d x %d%n", count, size, size);
        long t0 = System.nanoTime();
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map, ClassList.numbered(2));
        double s = (System.nanoTime() - t0) / 1e9;
        int maxHoles = 0;
        long vertices = 0;
        for (ClassifiedPolygon p : polygons) {
            maxHoles = Math.max(maxHoles, p.polygon().holes().size());
            vertices += p.polygon().shell().size();
            for (Ring h : p.polygon().holes()) {
                vertices += h.size();
            }
        }
        System.out.printf("trace: %.3f s, %.1f Mpx/s, %d polygons, largest has %d holes%n",
                s, (double) size * size / 1e6 / s, polygons.size(), maxHoles);
        t0 = System.nanoTime();
        for (ClassifiedPolygon p : polygons) {
            if (p.polygon().holes().size() == maxHoles) {
                boolean valid = PolygonValidity.isValid(p.polygon());
                System.out.printf("validity check of that polygon: %.3f s (valid: %s)%n", (System.nanoTime() - t0) / 1e9, valid);
            }
        }
        simplify(polygons, vertices);
    }

    private static void simplify(List<ClassifiedPolygon> polygons, long vertices) {
        PolygonSimplifier simplifier = PolygonSimplifier.withTolerance(1.0).smoothing(2);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            List<ClassifiedPolygon> simple = simplifier.apply(polygons);
            double s = (System.nanoTime() - t0) / 1e9;
            long out = 0;
            for (ClassifiedPolygon p : simple) {
                out += p.polygon().shell().size();
                for (Ring h : p.polygon().holes()) {
                    out += h.size();
                }
            }
            int unchanged = 0;
            int rings = 0;
            for (int i = 0; i < simple.size(); i++) {
                Polygon a = polygons.get(i).polygon();
                Polygon b = simple.get(i).polygon();
                rings += 1 + a.holes().size();
                unchanged += a.shell().equals(b.shell()) ? 1 : 0;
                for (int h = 0; h < a.holes().size(); h++) {
                    unchanged += a.holes().get(h).equals(b.holes().get(h)) ? 1 : 0;
                }
            }
            System.out.printf("simplify (tolerance 1 px, 2 smoothing passes) round %d: %.3f s, %.0f polygons/s, %d -> %d vertices,"
                    + " %d of %d rings kept as traced%n", round, s, simple.size() / s, vertices, out, unchanged, rings);
        }
    }
}
