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
            System.out.printf("simplify (tolerance 1 px, 2 smoothing passes) round %d: %.3f s, %.0f polygons/s, %d -> %d vertices%n",
                    round, s, simple.size() / s, vertices, out);
        }
    }
}
