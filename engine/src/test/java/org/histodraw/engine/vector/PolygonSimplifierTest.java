package org.histodraw.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.junit.jupiter.api.Test;

class PolygonSimplifierTest {

    @Test
    void aPixelStaircaseBecomesAStraightEdge() {
        // a right triangle drawn in pixels: its hypotenuse is a staircase of 2 x 20 vertices
        LabelRaster map = LabelRaster.allocate(22, 22);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x <= y; x++) {
                map.set(x + 1, y + 1, 1);
            }
        }
        Polygon traced = ClassMapVectoriser.vectorise(map).get(0).polygon();
        assertThat(traced.shell().size()).isEqualTo(42);
        Polygon simple = PolygonSimplifier.simplify(traced, 1.0);
        assertThat(simple.shell().size()).isLessThanOrEqualTo(4);
        assertThat(simple.area()).isCloseTo(traced.area(), within(traced.area() * 0.1));
        assertThat(PolygonValidity.problems(simple)).isEmpty();
    }

    @Test
    void simplifiedPolygonsOfRandomMapsStayValid() {
        PolygonSimplifier[] simplifiers = {
            PolygonSimplifier.withTolerance(0.8),
            PolygonSimplifier.withTolerance(1.5).smoothing(2),
            PolygonSimplifier.withTolerance(4),
            PolygonSimplifier.withTolerance(0).smoothing(3),
        };
        for (long seed = 0; seed < 40; seed++) {
            LabelRaster map = seed % 2 == 0 ? ClassMaps.noise(30, 24, 3, 0.3, seed) : ClassMaps.blobs(90, 70, 3, 10, true, seed);
            List<ClassifiedPolygon> traced = ClassMapVectoriser.vectorise(map, ClassList.numbered(3));
            for (PolygonSimplifier s : simplifiers) {
                List<ClassifiedPolygon> simple = s.apply(traced);
                assertThat(simple).hasSameSizeAs(traced);
                for (int i = 0; i < simple.size(); i++) {
                    Polygon p = simple.get(i).polygon();
                    assertThat(PolygonValidity.problems(p)).as("seed %d, tolerance %s, smoothing %d, polygon %d",
                            seed, s.tolerance(), s.smoothingPasses(), i).isEmpty();
                    assertThat(p.holes()).hasSameSizeAs(traced.get(i).polygon().holes());
                    assertThat(p.shell().signedArea()).isPositive();
                    assertThat(simple.get(i).imageClass()).isEqualTo(traced.get(i).imageClass());
                }
            }
        }
    }

    @Test
    void aRingThatWouldCollapseIsKeptAsItWas() {
        Polygon pixel = new Polygon(new Ring(new double[] {3, 3, 4, 3, 4, 4, 3, 4}));
        assertThat(PolygonSimplifier.simplify(pixel, 2.0)).isEqualTo(pixel);
    }

    @Test
    void theShellKeepsABumpThatHoldsAHole() {
        // removing the bump at (50, -3) would leave the hole outside the shell
        Ring shell = new Ring(new double[] {0, 0, 45, 0, 50, -3, 55, 0, 100, 0, 100, 20, 0, 20});
        Ring hole = new Ring(new double[] {49, -2, 49, -1, 51, -1, 51, -2});
        Polygon p = new Polygon(shell, List.of(hole));
        assertThat(PolygonValidity.problems(p)).isEmpty();
        Polygon simple = PolygonSimplifier.simplify(p, 5.0);
        assertThat(PolygonValidity.problems(simple)).isEmpty();
        assertThat(simple.holes()).containsExactly(hole);
        assertThat(simple.shell().contains(50, -1.5)).isTrue();
    }

    @Test
    void aZeroToleranceWithoutSmoothingChangesNothing() {
        LabelRaster map = ClassMaps.blobs(40, 40, 2, 8, true, 5);
        List<ClassifiedPolygon> traced = ClassMapVectoriser.vectorise(map, ClassList.numbered(2));
        assertThat(PolygonSimplifier.withTolerance(0).apply(traced)).isEqualTo(traced);
    }

    @Test
    void smoothingCutsCorners() {
        Polygon square = new Polygon(new Ring(new double[] {0, 0, 8, 0, 8, 8, 0, 8}));
        Polygon smooth = PolygonSimplifier.withTolerance(0).smoothing(1).apply(square);
        assertThat(smooth.shell().size()).isEqualTo(8);
        assertThat(smooth.shell().coordinates()).startsWith(2, 0, 6, 0, 8, 2);
        assertThat(smooth.area()).isEqualTo(64 - 4 * 2.0);
    }

    @Test
    void badSettingsAreRejectedWithTheirValue() {
        assertThatThrownBy(() -> PolygonSimplifier.withTolerance(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> PolygonSimplifier.withTolerance(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> PolygonSimplifier.withTolerance(1).smoothing(9)).hasMessageContaining("9");
    }
}
