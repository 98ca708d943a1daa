package org.histodraw.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.classes.ImageClass;
import org.junit.jupiter.api.Test;

class PolygonCleaningTest {
    static final ImageClass NUCLEUS = new ImageClass(1, "Nucleus", 0xff0000);

    /** A square of side s at (x, y) with an extra vertex in the middle of its top edge, off by `bump`. */
    static ClassifiedPolygon square(double x, double y, double s, double bump) {
        return new ClassifiedPolygon(NUCLEUS, new Polygon(new Ring(new double[] {
            x, y, x + s / 2, y + bump, x + s, y, x + s, y + s, x, y + s})));
    }

    /** A square of side s with a square hole of side h in its middle (hole wound the other way). */
    static ClassifiedPolygon withHole(double s, double h) {
        double a = (s - h) / 2, b = a + h;
        return new ClassifiedPolygon(NUCLEUS, new Polygon(new Ring(new double[] {0, 0, s, 0, s, s, 0, s}),
                List.of(new Ring(new double[] {a, a, a, b, b, b, b, a}))));
    }

    @Test
    void smallRegionsAreDroppedAndTheRestSimplified() {
        List<ClassifiedPolygon> out = new ArrayList<>();
        var cleaning = PolygonCleaning.defaults().withMinRegionArea(50.0).before(out::add, null);
        cleaning.accept(square(0, 0, 5, 0.2));      // 25 px²: dropped
        cleaning.accept(square(100, 100, 20, 0.2)); // kept, the 0.2 px bump straightened
        assertThat(out).hasSize(1);
        assertThat(out.get(0).polygon().shell().size()).isEqualTo(4);
    }

    @Test
    void areasAreMicronsSquaredWhenThePixelSizeIsKnownAndPixelsOtherwise() {
        PolygonCleaning c = PolygonCleaning.defaults().withMinRegionArea(25.0).withMinHoleArea(4.0);
        assertThat(c.minRegionPixels(0.5)).isEqualTo(100);
        assertThat(c.minHolePixels(0.5)).isEqualTo(16);
        assertThat(c.minRegionPixels(null)).isEqualTo(25);
        // The defaults: 10 µm², or 40 px² (the same area at 0.5 µm/px) without a pixel size.
        assertThat(PolygonCleaning.defaults().minRegionPixels(0.25)).isEqualTo(160);
        assertThat(PolygonCleaning.defaults().minRegionPixels(null)).isEqualTo(40);
        assertThat(PolygonCleaning.defaults().describe(null)).isEqualTo("min region 40 px², min hole 40 px², simplify 1 px, smoothing 0");
        assertThat(PolygonCleaning.defaults().describe(0.5)).isEqualTo("min region 10 µm², min hole 10 µm², simplify 1 px, smoothing 0");
    }

    @Test
    void holesSmallerThanTheirMinimumAreFilledApartFromTheRegionMinimum() {
        List<ClassifiedPolygon> out = new ArrayList<>();
        PolygonCleaning.none().withMinHoleArea(30.0).before(out::add, null).accept(withHole(20, 5)); // 25 px² hole
        PolygonCleaning.none().withMinHoleArea(30.0).before(out::add, null).accept(withHole(20, 6)); // 36 px² hole
        assertThat(out.get(0).polygon().holes()).isEmpty();
        assertThat(out.get(1).polygon().holes()).hasSize(1);
        // A hole minimum in µm² at 0.5 µm/px: 10 µm² = 40 px², so the 36 px² hole goes too.
        out.clear();
        PolygonCleaning.none().withMinHoleArea(10.0).before(out::add, 0.5).accept(withHole(20, 6));
        assertThat(out.get(0).polygon().holes()).isEmpty();
    }

    @Test
    void smoothingCutsTheCornersOfTheOutline() {
        List<ClassifiedPolygon> out = new ArrayList<>();
        PolygonCleaning.none().withSmoothing(2).before(out::add, null).accept(square(0, 0, 40, 0));
        assertThat(out.get(0).polygon().shell().size()).isGreaterThan(8);
        assertThat(out.get(0).polygon().area()).isLessThan(1600).isGreaterThan(1400);
    }

    @Test
    void noneKeepsEverythingAsItIsAndBadSettingsAreRefused() {
        List<ClassifiedPolygon> out = new ArrayList<>();
        ClassifiedPolygon tiny = square(0, 0, 5, 0.2);
        PolygonCleaning.none().before(out::add, 0.25).accept(tiny);
        assertThat(out).containsExactly(tiny);
        assertThatThrownBy(() -> PolygonCleaning.none().withSimplify(-1)).hasMessageContaining("simplify");
        assertThatThrownBy(() -> PolygonCleaning.none().withMinRegionArea(Double.NaN)).hasMessageContaining("minimum region area");
        assertThatThrownBy(() -> PolygonCleaning.none().withMinHoleArea(Double.POSITIVE_INFINITY)).hasMessageContaining("minimum hole area");
        assertThatThrownBy(() -> PolygonCleaning.none().withSmoothing(7)).hasMessageContaining("smoothing");
    }
}
