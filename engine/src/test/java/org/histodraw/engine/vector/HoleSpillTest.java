package org.histodraw.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.junit.jupiter.api.Test;

/**
 * Tissue around thousands of nuclei: the holes of the open tissue region leave the tracer's memory
 * for a {@link HoleSpill}, and the polygons that come out are the ones the tracer makes holding
 * them, whatever the strips.
 */
class HoleSpillTest {
    private static final int W = 600;
    private static final int H = 600;

    /**
     * Tissue (class 1) shaped like a U: a bar of class 2 from the top down to row 560 splits it
     * into two arms that meet at the bottom; 2 x 2 nuclei (class 2) every 4 pixels in both arms,
     * 21,000 holes of 4 vertices each.
     */
    private static LabelRaster tissue() {
        LabelRaster map = LabelRaster.allocate(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean bar = x >= 280 && x < 320 && y < 560;
                boolean nucleus = !bar && x % 4 >= 1 && x % 4 < 3 && y % 4 >= 1 && y % 4 < 3 && x < W - 2 && y < H - 2;
                map.set(x, y, bar || nucleus ? 2 : 1);
            }
        }
        return map;
    }

    /** A spill in memory that keeps what it gets per region, as a file would. */
    private static final class Recording implements HoleSpill {
        final Map<Long, List<Ring>> stored = new HashMap<>();
        final List<ClassifiedPolygon> closed = new ArrayList<>();
        int stores;
        int merges;

        @Override
        public void store(long region, List<Ring> holes) {
            stores++;
            stored.computeIfAbsent(region, r -> new ArrayList<>()).addAll(holes);
        }

        @Override
        public void merge(long from, long into) {
            merges++;
            List<Ring> moved = stored.remove(from);
            if (moved != null) {
                stored.computeIfAbsent(into, r -> new ArrayList<>()).addAll(moved);
            }
        }

        @Override
        public void close(long region, ClassifiedPolygon polygon) {
            List<Ring> holes = new ArrayList<>(polygon.polygon().holes());
            holes.addAll(stored.remove(region));
            closed.add(new ClassifiedPolygon(polygon.imageClass(), new Polygon(polygon.polygon().shell(), holes)));
        }
    }

    @Test
    void theHolesOfAnOpenRegionGoToTheSpillAndThePolygonsComeOutAsTracedInMemory() {
        ClassList classes = ClassList.named(List.of("Tissue", "Nucleus"));
        LabelRaster map = tissue();
        List<ClassifiedPolygon> inMemory = ClassMapVectoriser.vectorise(map, classes);

        for (int stripHeight : new int[] {1, 37, H}) {
            Recording spill = new Recording();
            List<ClassifiedPolygon> listened = new ArrayList<>();
            ClassMapVectoriser v = new ClassMapVectoriser(W, classes, listened::add, spill);
            for (int y = 0; y < H; y += stripHeight) {
                int h = Math.min(stripHeight, H - y);
                byte[] rows = new byte[W * h];
                System.arraycopy(map.data(), y * W, rows, 0, rows.length);
                v.accept(new LabelRaster(W, h, rows), y);
            }
            v.finish();
            assertThat(spill.stores).as("holes handed over, strips of " + stripHeight).isGreaterThan(1);
            assertThat(spill.merges).as("the two arms' holes joined where the arms meet").isGreaterThanOrEqualTo(1);
            assertThat(spill.stored).as("nothing left behind").isEmpty();
            assertThat(spill.closed).hasSize(1);
            assertThat(spill.closed.get(0).polygon().holes()).hasSize(holeCount(inMemory));
            assertThat(v.polygonsClosed()).isEqualTo(inMemory.size());

            List<ClassifiedPolygon> all = new ArrayList<>(listened);
            all.addAll(spill.closed);
            assertThat(canonical(all)).isEqualTo(canonical(inMemory));
        }
    }

    @Test
    void withoutASpillEverythingStaysWithTheListener() {
        ClassList classes = ClassList.named(List.of("Tissue", "Nucleus"));
        List<ClassifiedPolygon> listened = new ArrayList<>();
        ClassMapVectoriser v = new ClassMapVectoriser(W, classes, listened::add);
        v.accept(tissue(), 0);
        v.finish();
        assertThat(holeCount(listened)).isEqualTo(holeCount(ClassMapVectoriser.vectorise(tissue(), classes)));
    }

    private static int holeCount(List<ClassifiedPolygon> polygons) {
        return polygons.stream().filter(p -> p.imageClass().name().equals("Tissue")).mapToInt(p -> p.polygon().holes().size()).sum();
    }

    /** Class, shell and the set of holes of each polygon (hole order is the tracer's business). */
    private static Set<List<Object>> canonical(List<ClassifiedPolygon> polygons) {
        Set<List<Object>> out = new HashSet<>();
        for (ClassifiedPolygon p : polygons) {
            out.add(List.of(p.imageClass().name(), p.polygon().shell(), new HashSet<>(p.polygon().holes())));
        }
        return out;
    }
}
