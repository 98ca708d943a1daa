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

    @Test
    void smallRegionsAreDroppedAndTheRestSimplified() {
        List<ClassifiedPolygon> out = new ArrayList<>();
        var cleaning = PolygonCleaning.before(out::add, 1.0, 50);
        cleaning.accept(square(0, 0, 5, 0.2));      // 25 px²: dropped
        cleaning.accept(square(100, 100, 20, 0.2)); // kept, the 0.2 px bump straightened
        assertThat(out).hasSize(1);
        assertThat(out.get(0).polygon().shell().size()).isEqualTo(4);
    }

    @Test
    void zeroKeepsEverythingAsItIsAndNegativeSettingsAreRefused() {
        List<ClassifiedPolygon> out = new ArrayList<>();
        ClassifiedPolygon tiny = square(0, 0, 5, 0.2);
        PolygonCleaning.before(out::add, 0, 0).accept(tiny);
        assertThat(out).containsExactly(tiny);
        assertThatThrownBy(() -> PolygonCleaning.before(out::add, -1, 0)).hasMessageContaining("at least 0");
    }
}
