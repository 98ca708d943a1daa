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
    void holesSimplifiedAgainstAFixedShellStayInsideItAndTheShellIsNotTouched() {
        // The shell is used as it is, even where simplifying it would be easy; a hole hugging its
        // bump is simplified only as far as it stays inside.
        Ring shell = new Ring(new double[] {0, 0, 45, 0, 50, -3, 55, 0, 100, 0, 100, 20, 0, 20});
        Ring nearTheBump = new Ring(new double[] {48, 0.5, 52, 0.5, 52, -1, 51, -2, 50, -2.5, 49, -2, 48, -1});
        Ring staircase = ClassMapVectoriser.vectorise(triangle(12)).get(0).polygon().shell();
        Ring inside = new Ring(shiftedReversed(staircase.coordinates(), 60, 2));
        List<Ring> holes = List.of(nearTheBump, inside);
        assertThat(PolygonValidity.problems(new Polygon(shell, holes))).isEmpty();

        List<Ring> simple = PolygonSimplifier.withTolerance(3).simplifyHoles(shell, holes);

        assertThat(simple).hasSize(2);
        assertThat(PolygonValidity.problems(new Polygon(shell, simple))).isEmpty();
        assertThat(simple.get(1).size()).as("the staircase hole is simplified").isLessThan(inside.size());
        for (Ring hole : simple) {
            assertThat(hole.signedArea()).as("holes keep their orientation").isNegative();
        }
    }

    /** A right triangle of {@code side} pixels with a one-pixel margin. */
    private static LabelRaster triangle(int side) {
        LabelRaster map = LabelRaster.allocate(side + 2, side + 2);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x <= y; x++) {
                map.set(x + 1, y + 1, 1);
            }
        }
        return map;
    }

    /** A ring moved by (dx, dy) and walked the other way round (a shell's turn becomes a hole's). */
    private static double[] shiftedReversed(double[] xy, double dx, double dy) {
        int n = xy.length / 2;
        double[] out = new double[xy.length];
        for (int i = 0; i < n; i++) {
            out[2 * i] = xy[2 * (n - 1 - i)] + dx;
            out[2 * i + 1] = xy[2 * (n - 1 - i) + 1] + dy;
        }
        return out;
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
