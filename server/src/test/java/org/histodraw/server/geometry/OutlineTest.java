package org.histodraw.server.geometry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.algorithm.distance.DiscreteHausdorffDistance;
import org.locationtech.jts.geom.Geometry;

class OutlineTest {
    /** A circle of radius r around (cx, cy) with n vertices, closed, as stored GeoJSON. */
    static String circle(double cx, double cy, double r, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k <= n; k++) {
            double a = 2 * Math.PI * (k % n) / n;
            sb.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.3f,%.3f]", cx + r * Math.cos(a), cy + r * Math.sin(a)));
        }
        return sb.append(']').toString();
    }

    @Test
    void storedGeoJsonReadsBackAsTheSameGeometry() {
        String json = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[4,2],[4,4],[2,4],[2,2]]],"
                + "[[[20,0],[30.5,0],[30.5,10],[20,0]]]]}";
        Outline o = Outline.parse(json);
        assertThat(o.polygons()).hasSize(2);
        assertThat(o.polygons().get(0)).hasSize(2);
        assertThat(o.toJson(0)).isEqualTo(json);
        assertThat(o.toJts().getArea()).isEqualTo(100 - 4 + 52.5);
    }

    @Test
    void simplifyingStaysWithinTheToleranceAndKeepsAClosedRing() {
        Outline circle = Outline.parse("{\"type\":\"Polygon\",\"coordinates\":[" + circle(500, 500, 200, 400) + "]}");
        for (double tolerance : new double[] {0.5, 2, 8, 40}) {
            Outline simple = circle.simplified(tolerance);
            double[] ring = simple.polygons().get(0).get(0);
            assertThat(ring.length / 2).as("vertices at %s", tolerance).isLessThan(400).isGreaterThanOrEqualTo(4);
            assertThat(ring[0]).isEqualTo(ring[ring.length - 2]);
            assertThat(ring[1]).isEqualTo(ring[ring.length - 1]);
            Geometry a = circle.toJts(), b = simple.toJts();
            assertThat(DiscreteHausdorffDistance.distance(a, b)).as("Hausdorff at %s", tolerance).isLessThanOrEqualTo(tolerance * 1.01);
        }
        assertThat(circle.simplified(8).polygons().get(0).get(0).length).isLessThan(circle.simplified(0.5).polygons().get(0).get(0).length);
    }

    @Test
    void partsAndHolesSmallerThanThePixelAreDropped() {
        Outline o = Outline.parse("{\"type\":\"MultiPolygon\",\"coordinates\":[[" + circle(100, 100, 50, 60) + "," + circle(100, 100, 2, 12)
                + "],[" + circle(300, 300, 1.5, 12) + "]]}");
        Outline simple = o.simplified(5);
        assertThat(simple.polygons()).hasSize(1);
        assertThat(simple.polygons().get(0)).as("the 4 px hole is gone").hasSize(1);
        assertThat(simple.toJson(1)).startsWith("{\"type\":\"Polygon\",\"coordinates\":[[[150,100],");
        assertThat(Outline.parse("{\"type\":\"Polygon\",\"coordinates\":[" + circle(0, 0, 1, 10) + "]}").simplified(5).isEmpty()).isTrue();
    }
}
