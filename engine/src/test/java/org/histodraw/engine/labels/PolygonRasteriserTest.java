package org.histodraw.engine.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;
import org.junit.jupiter.api.Test;

class PolygonRasteriserTest {
    private static final ImageClass TUMOUR = new ImageClass(1, "Tumour", 0xff0000);
    private static final ImageClass STROMA = new ImageClass(2, "Stroma", 0x00ff00);

    private static Ring ring(double... xy) {
        return new Ring(xy);
    }

    private static String rows(LabelRaster r) {
        StringBuilder s = new StringBuilder();
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                s.append(r.get(x, y) == 0 ? '.' : (char) ('0' + r.get(x, y)));
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Test
    void aSquareFillsExactlyItsPixels() {
        Polygon square = new Polygon(ring(1, 1, 4, 1, 4, 3, 1, 3));
        LabelRaster r = PolygonRasteriser.rasterise(List.of(new ClassifiedPolygon(TUMOUR, square)), 6, 4);
        assertThat(rows(r)).isEqualTo("""
                ......
                .111..
                .111..
                ......
                """);
    }

    @Test
    void aHoleStaysUnlabelled() {
        Polygon framed = new Polygon(ring(0, 0, 5, 0, 5, 5, 0, 5), List.of(ring(1, 1, 1, 4, 4, 4, 4, 1)));
        LabelRaster r = LabelRaster.allocate(5, 5);
        r.set(2, 2, 2); // what was there before stays where the hole is
        PolygonRasteriser.fill(r, PixelRegion.of(5, 5), List.of(new ClassifiedPolygon(TUMOUR, framed)));
        assertThat(rows(r)).isEqualTo("""
                11111
                1...1
                1.2.1
                1...1
                11111
                """);
    }

    @Test
    void polygonsReachingBeyondTheRasterAreClipped() {
        Polygon big = new Polygon(ring(-10, -10, 3, -10, 3, 2, -10, 2));
        Polygon tail = new Polygon(ring(4, 1, 100, 1, 100, 50, 4, 50));
        LabelRaster r = PolygonRasteriser.rasterise(
                List.of(new ClassifiedPolygon(TUMOUR, big), new ClassifiedPolygon(STROMA, tail)), 6, 3);
        assertThat(rows(r)).isEqualTo("""
                111...
                111.22
                ....22
                """);
    }

    @Test
    void laterPolygonsOverwriteEarlierOnes() {
        Polygon a = new Polygon(ring(0, 0, 4, 0, 4, 2, 0, 2));
        Polygon b = new Polygon(ring(2, 0, 6, 0, 6, 2, 2, 2));
        LabelRaster r = PolygonRasteriser.rasterise(
                List.of(new ClassifiedPolygon(TUMOUR, a), new ClassifiedPolygon(STROMA, b)), 6, 2);
        assertThat(rows(r)).isEqualTo("""
                112222
                112222
                """);
    }

    @Test
    void pixelsAreInsideWhenTheirCentresAre() {
        // a slanted triangle and a hole with fractional coordinates, against a brute-force test
        Polygon p = new Polygon(ring(0.3, 0.2, 17.8, 3.1, 6.4, 14.9), List.of(ring(5.2, 4.1, 8.9, 5.7, 6.1, 8.3)));
        LabelRaster r = PolygonRasteriser.rasterise(List.of(new ClassifiedPolygon(TUMOUR, p)), 20, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 20; x++) {
                boolean inside = p.shell().contains(x + 0.5, y + 0.5) && !p.holes().get(0).contains(x + 0.5, y + 0.5);
                assertThat(r.get(x, y)).as("pixel (%d, %d)", x, y).isEqualTo(inside ? 1 : 0);
            }
        }
    }

    @Test
    void aTileOfABigImageGetsExactlyItsShareOfTheLabels() {
        SplittableRandom random = new SplittableRandom(11);
        List<ClassifiedPolygon> polygons = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double cx = random.nextDouble(-20, 220);
            double cy = random.nextDouble(-20, 170);
            int n = 3 + random.nextInt(9);
            double[] xy = new double[2 * n];
            for (int k = 0; k < n; k++) {
                double angle = 2 * Math.PI * k / n;
                double radius = random.nextDouble(5, 40);
                xy[2 * k] = cx + radius * Math.cos(angle);
                xy[2 * k + 1] = cy + radius * Math.sin(angle);
            }
            polygons.add(new ClassifiedPolygon(i % 2 == 0 ? TUMOUR : STROMA, new Polygon(new Ring(xy))));
        }
        LabelRaster whole = PolygonRasteriser.rasterise(polygons, 200, 150);
        for (PixelRegion tile : List.of(new PixelRegion(0, 0, 64, 64), new PixelRegion(64, 37, 64, 50),
                new PixelRegion(150, 100, 50, 50), new PixelRegion(13, 141, 101, 9))) {
            LabelRaster part = LabelRaster.allocate(tile.width(), tile.height());
            PolygonRasteriser.fill(part, tile, polygons);
            assertThat(part.data()).as("tile %s", tile).isEqualTo(whole.crop(tile).data());
        }
        assertThat(whole.count(1) + whole.count(2)).isGreaterThan(5000);
    }

    @Test
    void aTargetThatDoesNotMatchItsRegionIsRejected() {
        assertThatThrownBy(() -> PolygonRasteriser.fill(LabelRaster.allocate(4, 4), new PixelRegion(0, 0, 5, 4),
                List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 x 4");
    }
}
