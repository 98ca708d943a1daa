package org.histodraw.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.junit.jupiter.api.Test;

class MinimumAreaFilterTest {

    private final LabelRaster map = ClassMaps.of(
            "1111111.2",
            "1.11..1..",
            "1111..1..",
            "1111111..",
            "........2");

    @Test
    void smallPolygonsAreDroppedAndSmallHolesFilled() {
        List<ClassifiedPolygon> traced = ClassMapVectoriser.vectorise(map, ClassList.numbered(2));
        assertThat(traced).hasSize(3);
        List<ClassifiedPolygon> kept = new MinimumAreaFilter(2).apply(traced);
        assertThat(kept).hasSize(1);
        Polygon big = kept.get(0).polygon();
        assertThat(big.holes()).extracting(Ring::area).containsExactly(4.0);
        assertThat(big.area()).isEqualTo(28 - 4);
    }

    @Test
    void aPolygonJustAtTheMinimumIsKept() {
        List<ClassifiedPolygon> traced = ClassMapVectoriser.vectorise(map, ClassList.numbered(2));
        assertThat(new MinimumAreaFilter(1).apply(traced)).hasSize(3);
        assertThat(new MinimumAreaFilter(0).apply(traced)).isEqualTo(traced);
    }

    @Test
    void asAListenerItPassesOnOnlyWhatIsKept() {
        List<ClassifiedPolygon> received = new ArrayList<>();
        ClassMapVectoriser v = new ClassMapVectoriser(map.width(), ClassList.numbered(2),
                new MinimumAreaFilter(5).forwardingTo(received::add));
        v.accept(map, 0);
        v.finish();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).polygon().holes()).isEmpty();
        assertThat(received.get(0).polygon().area()).isEqualTo(28);
    }

    @Test
    void aNegativeMinimumIsRejected() {
        assertThatThrownBy(() -> new MinimumAreaFilter(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-2");
    }
}
