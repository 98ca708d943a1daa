package org.histodraw.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.labels.PolygonRasteriser;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.junit.jupiter.api.Test;

class ClassMapVectoriserTest {

    @Test
    void aSquareBecomesOneRingOfItsFourCorners() {
        LabelRaster map = ClassMaps.of(
                "....",
                ".11.",
                ".11.",
                "....");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        assertThat(polygons).hasSize(1);
        Polygon p = polygons.get(0).polygon();
        assertThat(p.holes()).isEmpty();
        assertThat(p.shell().coordinates()).containsExactly(1, 1, 3, 1, 3, 3, 1, 3);
        assertThat(p.shell().signedArea()).isEqualTo(4.0);
        assertThat(polygons.get(0).imageClass().index()).isEqualTo(1);
    }

    @Test
    void aSquareWithAHoleKeepsTheHoleAsASecondRing() {
        LabelRaster map = ClassMaps.of(
                "22222",
                "21112",
                "21.12",
                "21112",
                "22222");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        Polygon ring1 = only(polygons, 1);
        assertThat(ring1.holes()).hasSize(1);
        assertThat(ring1.shell().area()).isEqualTo(9.0);
        assertThat(ring1.holes().get(0).signedArea()).isEqualTo(-1.0);
        assertThat(ring1.area()).isEqualTo(8.0);
        Polygon frame = only(polygons, 2);
        assertThat(frame.holes()).hasSize(1);
        assertThat(frame.holes().get(0).area()).isEqualTo(9.0);
        assertReproduces(map, polygons);
    }

    @Test
    void anIslandInAHoleInARegionIsItsOwnPolygon() {
        LabelRaster map = ClassMaps.of(
                "1111111",
                "1.....1",
                "1.111.1",
                "1.1.1.1",
                "1.111.1",
                "1.....1",
                "1111111");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        assertThat(polygons).hasSize(2);
        Polygon island = polygons.get(0).polygon();
        Polygon outer = polygons.get(1).polygon();
        assertThat(island.shell().area()).isEqualTo(9.0);
        assertThat(island.holes()).extracting(Ring::area).containsExactly(1.0);
        assertThat(outer.shell().area()).isEqualTo(49.0);
        assertThat(outer.holes()).extracting(Ring::area).containsExactly(25.0);
        assertReproduces(map, polygons);
    }

    @Test
    void aCheckerboardSaddleKeepsDiagonalPixelsApart() {
        LabelRaster map = ClassMaps.of(
                "12",
                "21");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        assertThat(polygons).hasSize(4);
        assertThat(polygons).allSatisfy(p -> {
            assertThat(p.polygon().area()).isEqualTo(1.0);
            assertThat(p.polygon().shell().size()).isEqualTo(4);
        });
        assertReproduces(map, polygons);
    }

    @Test
    void aHoleTouchingItsShellAtACornerBecomesASeparateRing() {
        // the hole at (1,1) meets the outside diagonally at vertex (2,2)
        LabelRaster map = ClassMaps.of(
                "111",
                "1.1",
                "11.");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        assertThat(polygons).hasSize(1);
        Polygon p = polygons.get(0).polygon();
        assertThat(p.holes()).hasSize(1);
        assertThat(p.area()).isEqualTo(7.0);
        assertThat(PolygonValidity.problems(p)).isEmpty();
        assertReproduces(map, polygons);
    }

    @Test
    void aRegionTouchingEveryBorderIsClosedAlongTheImageEdge() {
        LabelRaster map = ClassMaps.of(
                "11111",
                "1...1",
                "1...1",
                "11111");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        Polygon p = only(polygons, 1);
        assertThat(p.shell().coordinates()).containsExactly(0, 0, 5, 0, 5, 4, 0, 4);
        assertThat(p.holes()).hasSize(1);
        assertReproduces(map, polygons);
    }

    @Test
    void aUShapeWhoseArmsMeetLaterIsOnePolygon() {
        LabelRaster map = ClassMaps.of(
                "1...1",
                "1...1",
                "1...1",
                "11111");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        assertThat(polygons).hasSize(1);
        assertThat(polygons.get(0).polygon().shell().size()).isEqualTo(8);
        assertThat(polygons.get(0).polygon().area()).isEqualTo(11.0);
        assertReproduces(map, polygons);
    }

    @Test
    void anUpsideDownUWhoseArmsSplitIsOnePolygon() {
        LabelRaster map = ClassMaps.of(
                "11111",
                "1...1",
                "1...1");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        assertThat(polygons).hasSize(1);
        assertReproduces(map, polygons);
    }

    @Test
    void aSpiralIsOnePolygonWithoutHoles() {
        LabelRaster map = ClassMaps.of(
                "111111111",
                "1.......1",
                "1.11111.1",
                "1.1...1.1",
                "1.1.1.1.1",
                "1.1.111.1",
                "1.1.....1",
                "1.1111111",
                "1........");
        List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map);
        assertThat(polygons).hasSize(1);
        Polygon spiral = polygons.get(0).polygon();
        assertThat(spiral.holes()).isEmpty();
        assertThat(spiral.area()).isEqualTo(map.count(1));
        assertThat(PolygonValidity.problems(spiral)).isEmpty();
        assertReproduces(map, polygons);
    }

    @Test
    void randomClassMapsAreReproducedPixelForPixelByValidPolygons() {
        for (long seed = 0; seed < 300; seed++) {
            int w = 5 + (int) (seed % 23);
            int h = 4 + (int) (seed % 17);
            LabelRaster map = ClassMaps.noise(w, h, 1 + (int) (seed % 4), 0.3, seed);
            List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map, ClassList.numbered(4));
            assertReproduces(map, polygons);
            assertValidWithPixelAreas(map, polygons, "noise seed " + seed);
        }
        for (long seed = 0; seed < 20; seed++) {
            LabelRaster map = ClassMaps.blobs(96, 80, 3, 12, seed % 2 == 0, seed);
            List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(map, ClassList.numbered(3));
            assertReproduces(map, polygons);
            assertValidWithPixelAreas(map, polygons, "blobs seed " + seed);
        }
    }

    @Test
    void stripsOfAnyHeightGiveTheSamePolygonsAsTheWholeMap() {
        for (long seed = 0; seed < 10; seed++) {
            LabelRaster map = seed < 5 ? ClassMaps.noise(37, 29, 3, 0.25, seed) : ClassMaps.blobs(64, 50, 3, 9, true, seed);
            ClassList classes = ClassList.numbered(3);
            List<ClassifiedPolygon> whole = ClassMapVectoriser.vectorise(map, classes);
            for (int stripHeight : new int[] {1, 7, map.height()}) {
                assertThat(inStrips(map, classes, stripHeight)).as("seed %d, strips of %d", seed, stripHeight)
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    void polygonsAreHandedOnAsSoonAsTheirLastRowIsSeen() {
        // a tall map of small blobs: memory must stay bounded and polygons must flow during accept
        LabelRaster map = ClassMaps.blobs(64, 2000, 2, 8, true, 7);
        List<ClassifiedPolygon> received = new ArrayList<>();
        ClassMapVectoriser v = new ClassMapVectoriser(64, ClassList.numbered(2), received::add);
        int maxOpen = 0;
        for (int y = 0; y < map.height(); y += 16) {
            v.accept(map.crop(new PixelRegion(0, y, 64, 16)), y);
            maxOpen = Math.max(maxOpen, v.openChains());
            if (y == 1008) {
                assertThat(received).as("polygons closed in the first half").hasSizeGreaterThan(10);
            }
        }
        assertThat(v.finish()).isEmpty();
        assertThat(maxOpen).as("open chains at any time").isLessThan(200);
        assertThat(received.size()).isGreaterThan(200);
        assertReproduces(map, received);
    }

    @Test
    void verticesAreCornersOnly() {
        LabelRaster map = ClassMaps.blobs(120, 90, 3, 15, true, 3);
        for (ClassifiedPolygon p : ClassMapVectoriser.vectorise(map, ClassList.numbered(3))) {
            List<Ring> rings = new ArrayList<>(p.polygon().holes());
            rings.add(p.polygon().shell());
            for (Ring r : rings) {
                int n = r.size();
                for (int i = 0; i < n; i++) {
                    int h = (i + n - 1) % n;
                    int j = (i + 1) % n;
                    double turn = (r.x(i) - r.x(h)) * (r.y(j) - r.y(i)) - (r.y(i) - r.y(h)) * (r.x(j) - r.x(i));
                    assertThat(turn).as("turn at vertex %d of %s", i, r).isNotZero();
                }
            }
        }
    }

    @Test
    void anEmptyOrAllBackgroundMapHasNoPolygons() {
        assertThat(ClassMapVectoriser.vectorise(LabelRaster.allocate(7, 5), ClassList.numbered(2))).isEmpty();
        ClassMapVectoriser v = new ClassMapVectoriser(7, ClassList.numbered(1));
        assertThat(v.finish()).isEmpty();
    }

    @Test
    void stripsMustComeInOrderWithTheImageWidth() {
        ClassMapVectoriser v = new ClassMapVectoriser(4, ClassList.numbered(1));
        v.accept(LabelRaster.allocate(4, 2), 0);
        assertThatThrownBy(() -> v.accept(LabelRaster.allocate(4, 2), 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 3").hasMessageContaining("row 2");
        assertThatThrownBy(() -> v.accept(LabelRaster.allocate(5, 2), 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width 5");
        assertThatThrownBy(() -> new ClassMapVectoriser(0, ClassList.numbered(1))).hasMessageContaining("0");
    }

    @Test
    void aClassOutsideTheClassListIsRejectedWithItsPosition() {
        LabelRaster map = ClassMaps.of("1.", ".3");
        assertThatThrownBy(() -> ClassMapVectoriser.vectorise(map, ClassList.numbered(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class 3").hasMessageContaining("(1, 1)");
    }

    static List<ClassifiedPolygon> inStrips(LabelRaster map, ClassList classes, int stripHeight) {
        ClassMapVectoriser v = new ClassMapVectoriser(map.width(), classes);
        for (int y = 0; y < map.height(); y += stripHeight) {
            int h = Math.min(stripHeight, map.height() - y);
            v.accept(map.crop(new PixelRegion(0, y, map.width(), h)), y);
        }
        return v.finish();
    }

    static void assertReproduces(LabelRaster map, List<ClassifiedPolygon> polygons) {
        LabelRaster back = PolygonRasteriser.rasterise(polygons, map.width(), map.height());
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                if (back.get(x, y) != map.get(x, y)) {
                    throw new AssertionError("pixel (" + x + ", " + y + ") is " + back.get(x, y) + " after rasterising, "
                            + map.get(x, y) + " in the class map");
                }
            }
        }
    }

    static void assertValidWithPixelAreas(LabelRaster map, List<ClassifiedPolygon> polygons, String what) {
        long[] area = new long[256];
        for (ClassifiedPolygon p : polygons) {
            assertThat(PolygonValidity.problems(p.polygon())).as(what).isEmpty();
            assertThat(p.polygon().shell().signedArea()).as(what + ": shell orientation").isPositive();
            for (Ring h : p.polygon().holes()) {
                assertThat(h.signedArea()).as(what + ": hole orientation").isNegative();
            }
            area[p.imageClass().index()] += (long) p.polygon().area();
        }
        for (int k = 1; k < 256; k++) {
            assertThat(area[k]).as(what + ": area of class " + k).isEqualTo(map.count(k));
        }
    }

    private static Polygon only(List<ClassifiedPolygon> polygons, int classIndex) {
        List<Polygon> of = polygons.stream().filter(p -> p.imageClass().index() == classIndex)
                .map(ClassifiedPolygon::polygon).toList();
        assertThat(of).hasSize(1);
        return of.get(0);
    }
}
