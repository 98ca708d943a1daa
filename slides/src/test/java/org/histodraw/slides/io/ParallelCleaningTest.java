package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.engine.vector.Ring;
import org.junit.jupiter.api.Test;

class ParallelCleaningTest {
    private static final ImageClass NUCLEUS = new ImageClass(2, "Nucleus", 0x0000ff);

    /** Staircase outlines as a class map traces them: specks of a few pixels and nuclei of 10-30 px. */
    private static List<ClassifiedPolygon> traced(int count) {
        Random random = new Random(11);
        List<ClassifiedPolygon> polygons = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int x = random.nextInt(10_000), y = random.nextInt(10_000);
            int size = random.nextInt(10) < 3 ? 1 + random.nextInt(4) : 10 + random.nextInt(20);
            double[] xy = new double[4 * size + 4];
            int k = 0;
            for (int s = 0; s < size; s++) { // a staircase from the top left to the bottom right
                xy[k++] = x + s;
                xy[k++] = y + s;
                xy[k++] = x + s + 1;
                xy[k++] = y + s;
            }
            xy[k++] = x + size;
            xy[k++] = y + size;
            xy[k++] = x;
            xy[k] = y + size;
            polygons.add(new ClassifiedPolygon(NUCLEUS, new Polygon(new Ring(xy), List.of())));
        }
        return polygons;
    }

    private static List<ClassifiedPolygon> cleanedBy(int workers, List<ClassifiedPolygon> traced) {
        List<ClassifiedPolygon> written = new ArrayList<>();
        try (ParallelCleaning cleaning = new ParallelCleaning(PolygonCleaning.defaults(), null, written::add, workers)) {
            traced.forEach(cleaning);
            cleaning.finish();
        }
        return written;
    }

    @Test
    void polygonsCleanedOnSeveralThreadsComeOutInTheOrderTracedAsFromOne() {
        List<ClassifiedPolygon> traced = traced(ParallelCleaning.BATCH * ParallelCleaning.IN_FLIGHT * 3 + 17);
        List<ClassifiedPolygon> one = cleanedBy(1, traced);
        assertThat(one.size()).as("specks dropped, nuclei kept").isBetween(traced.size() / 2, traced.size() - 1);
        assertThat(cleanedBy(3, traced)).isEqualTo(one);
        assertThat(cleanedBy(2, traced)).isEqualTo(one);
    }

    @Test
    void aPolygonTheCleaningCannotTakeFailsTheSlideWithTheCleaningsOwnError() {
        List<ClassifiedPolygon> traced = new ArrayList<>(traced(200));
        try (ParallelCleaning cleaning = new ParallelCleaning(PolygonCleaning.defaults(), null, p -> {
            throw new IllegalStateException("disk full");
        }, 2)) {
            assertThatThrownBy(() -> {
                traced.forEach(cleaning);
                cleaning.finish();
            }).isInstanceOf(IllegalStateException.class).hasMessage("disk full");
        }
    }
}
