package org.histodraw.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.histodraw.engine.vector.PolygonValidity.Kind;
import org.junit.jupiter.api.Test;

class PolygonValidityTest {

    private static Ring ring(double... xy) {
        return new Ring(xy);
    }

    private static final Ring SQUARE = ring(0, 0, 10, 0, 10, 10, 0, 10);

    private static List<Kind> kinds(Polygon p) {
        return PolygonValidity.problems(p).stream().map(PolygonValidity.Problem::kind).toList();
    }

    @Test
    void aSquareWithAHoleInsideIsValid() {
        assertThat(PolygonValidity.isValid(new Polygon(SQUARE, List.of(ring(2, 2, 2, 4, 4, 4, 4, 2))))).isTrue();
    }

    @Test
    void aBowTieIntersectsItself() {
        assertThat(kinds(new Polygon(ring(0, 0, 4, 4, 6, 0, 0, 6)))).contains(Kind.SELF_INTERSECTION);
        // a symmetric bow tie has zero signed area as well
        assertThat(kinds(new Polygon(ring(0, 0, 4, 4, 4, 0, 0, 4)))).contains(Kind.SELF_INTERSECTION, Kind.ZERO_AREA);
    }

    @Test
    void aRingTouchingItselfAtAVertexIsNotSimple() {
        // figure of eight through (2, 2)
        assertThat(kinds(new Polygon(ring(0, 0, 2, 0, 2, 2, 4, 2, 4, 4, 2, 4, 2, 2, 0, 2))))
                .contains(Kind.SELF_INTERSECTION);
    }

    @Test
    void aSpikeBackAlongAnEdgeIsASelfIntersection() {
        assertThat(kinds(new Polygon(ring(0, 0, 4, 0, 2, 0, 2, 3)))).contains(Kind.SELF_INTERSECTION);
    }

    @Test
    void repeatedAndDegenerateVerticesAreReported() {
        assertThat(kinds(new Polygon(ring(0, 0, 1, 0, 1, 0, 1, 1)))).contains(Kind.ZERO_LENGTH_EDGE);
        assertThat(kinds(new Polygon(ring(0, 0, 1, 1, 2, 2)))).contains(Kind.ZERO_AREA);
        assertThat(kinds(new Polygon(ring(0, 0, Double.NaN, 1, 2, 2)))).containsExactly(Kind.NOT_FINITE);
    }

    @Test
    void aHoleOutsideTheShellIsReported() {
        assertThat(kinds(new Polygon(SQUARE, List.of(ring(20, 20, 20, 24, 24, 24))))).containsExactly(Kind.HOLE_OUTSIDE_SHELL);
    }

    @Test
    void aHoleCrossingTheShellIsReported() {
        assertThat(kinds(new Polygon(SQUARE, List.of(ring(8, 2, 8, 4, 12, 4, 12, 2))))).contains(Kind.RINGS_CROSS);
    }

    @Test
    void aHoleSharingAPieceOfEdgeWithTheShellIsReported() {
        assertThat(kinds(new Polygon(SQUARE, List.of(ring(0, 2, 0, 4, 3, 4, 3, 2))))).contains(Kind.RINGS_CROSS);
    }

    @Test
    void aHoleTouchingTheShellAtOnePointIsValid() {
        assertThat(kinds(new Polygon(SQUARE, List.of(ring(0, 5, 3, 7, 3, 3))))).isEmpty();
        // touching at a shared vertex of both rings
        Ring notched = ring(0, 0, 10, 0, 10, 10, 5, 10, 5, 5, 4, 10, 0, 10);
        assertThat(kinds(new Polygon(notched, List.of(ring(5, 5, 3, 2, 7, 2))))).isEmpty();
    }

    @Test
    void aHoleCrossingTheShellThroughASharedVertexIsReported() {
        // the hole passes through the shell's corner (10, 0) from inside to outside
        assertThat(kinds(new Polygon(SQUARE, List.of(ring(10, 0, 5, 5, 12, -3, 15, 0))))).contains(Kind.RINGS_CROSS);
    }

    @Test
    void aHoleInsideAnotherHoleIsReported() {
        Polygon p = new Polygon(SQUARE, List.of(ring(1, 1, 1, 9, 9, 9, 9, 1), ring(3, 3, 3, 5, 5, 5, 5, 3)));
        assertThat(kinds(p)).containsExactly(Kind.NESTED_HOLES);
        assertThat(PolygonValidity.problems(p).get(0).message()).isEqualTo("hole 1 lies inside hole 0");
    }

    /**
     * A tissue region with a hole for every nucleus, as a class map of a whole slide gives: 40,000
     * holes on a grid, among them one outside the shell, one inside a large (many-edged) hole, one
     * touching another hole at a vertex and one inside a small hole. Exactly those are reported.
     */
    @Test
    void tensOfThousandsOfHolesAreEachLocatedAgainstTheRingsAroundThem() {
        java.util.ArrayList<Ring> holes = new java.util.ArrayList<>();
        // A many-edged hole (a 64-gon, radius 30) around (1000, 1000), with the grid kept clear of it.
        double[] lumen = new double[128];
        for (int i = 0; i < 64; i++) {
            lumen[2 * i] = 1000 + 30 * Math.cos(2 * Math.PI * i / 64);
            lumen[2 * i + 1] = 1000 + 30 * Math.sin(2 * Math.PI * i / 64);
        }
        holes.add(new Ring(lumen));
        for (int gy = 0; gy < 200; gy++) {
            for (int gx = 0; gx < 200; gx++) {
                double x = 10 + gx * 10, y = 10 + gy * 10;
                if (Math.abs(x - 1000) < 45 && Math.abs(y - 1000) < 45) {
                    continue;
                }
                holes.add(ring(x, y, x + 3, y, x + 3, y + 3, x, y + 3));
            }
        }
        int plain = holes.size();
        holes.add(ring(3000, 3000, 3003, 3000, 3003, 3003)); // outside the shell
        holes.add(ring(995, 995, 998, 995, 998, 998)); // inside the 64-gon
        holes.add(ring(10, 10, 8, 7, 6, 9)); // touches the grid's first hole at its corner (10, 10): allowed
        holes.add(ring(21, 21, 22, 21, 22, 22)); // inside the grid hole at (20, 20)
        Polygon tissue = new Polygon(ring(0, 0, 2020, 0, 2020, 2020, 0, 2020), holes);

        List<PolygonValidity.Problem> problems = PolygonValidity.problems(tissue);

        assertThat(problems).extracting(PolygonValidity.Problem::kind)
                .containsExactlyInAnyOrder(Kind.HOLE_OUTSIDE_SHELL, Kind.NESTED_HOLES, Kind.NESTED_HOLES);
        assertThat(problems).filteredOn(p -> p.kind() == Kind.HOLE_OUTSIDE_SHELL)
                .extracting(PolygonValidity.Problem::ring).containsExactly(plain + 1);
        assertThat(problems).filteredOn(p -> p.kind() == Kind.NESTED_HOLES)
                .extracting(p -> p.ring() + " in " + p.otherRing())
                .containsExactlyInAnyOrder((plain + 2) + " in 1", (plain + 4) + " in " + (1 + 1 + 1 + 200));
    }

    @Test
    void checkNamesTheProblem() {
        assertThatThrownBy(() -> PolygonValidity.check(new Polygon(ring(0, 0, 4, 4, 6, 0, 0, 6))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shell intersects itself at (3.0, 3.0)");
    }

    /** Every pair of edges, the reference the grid must agree with: which rings meet, and where. */
    private static java.util.Set<String> crossingsByEveryPair(Polygon p) {
        List<Ring> rings = new java.util.ArrayList<>();
        rings.add(p.shell());
        rings.addAll(p.holes());
        java.util.Set<String> found = new java.util.TreeSet<>();
        double[] at = new double[2];
        for (int r = 0; r < rings.size(); r++) {
            for (int q = r; q < rings.size(); q++) {
                Ring a = rings.get(r), b = rings.get(q);
                for (int i = 0; i < a.size(); i++) {
                    for (int j = r == q ? i + 2 : 0; j < b.size(); j++) {
                        if (r == q && (j + 1) % a.size() == i) {
                            continue; // consecutive edges meet at their shared vertex
                        }
                        int kind = Geometry.intersect(a.x(i), a.y(i), a.x((i + 1) % a.size()), a.y((i + 1) % a.size()),
                                b.x(j), b.y(j), b.x((j + 1) % b.size()), b.y((j + 1) % b.size()), at);
                        if (kind == Geometry.PROPER || kind == Geometry.OVERLAP) {
                            found.add(r + "-" + q);
                        }
                    }
                }
            }
        }
        return found;
    }

    private static java.util.Set<String> crossingsFound(List<PolygonValidity.Problem> problems) {
        java.util.Set<String> found = new java.util.TreeSet<>();
        for (PolygonValidity.Problem p : problems) {
            if (p.kind() == Kind.SELF_INTERSECTION) {
                found.add(p.ring() + "-" + p.ring());
            } else if (p.kind() == Kind.RINGS_CROSS) {
                found.add(Math.min(p.ring(), p.otherRing()) + "-" + Math.max(p.ring(), p.otherRing()));
            }
        }
        return found;
    }

    @Test
    void theGridFindsEveryCrossingThatTestingEveryPairFinds() {
        // Small jittered holes on a lattice, some pushed onto their neighbours or across the shell,
        // with long edges (the shell's sides, a sliver hole) spanning many cells of the grid.
        java.util.Random random = new java.util.Random(17);
        int crossingHoles = 0;
        for (int trial = 0; trial < 40; trial++) {
            List<Ring> holes = new java.util.ArrayList<>();
            for (int k = 0; k < 60; k++) {
                double x = 2 + (k % 10) * 9 + random.nextDouble() * 6, y = 2 + (k / 10) * 9 + random.nextDouble() * 6;
                double w = 1 + random.nextDouble() * (random.nextInt(8) == 0 ? 12 : 4);
                double h = 1 + random.nextDouble() * 4;
                holes.add(ring(x, y, x + w, y + random.nextDouble(), x + w, y + h, x - random.nextDouble(), y + h));
            }
            holes.add(ring(1, 1, 80 + random.nextDouble() * 20, 50 + random.nextDouble() * 10, 1.5, 2));
            Polygon p = new Polygon(ring(0, 0, 95, 0, 95, 60, 0, 60), holes);

            java.util.Set<String> expected = crossingsByEveryPair(p);
            crossingHoles += (int) expected.stream().filter(pair -> !pair.startsWith("0-")).count();
            assertThat(crossingsFound(PolygonValidity.problems(p))).as("trial %d", trial).containsAll(expected);
            java.util.Set<String> holesOnly = new java.util.TreeSet<>(expected);
            holesOnly.remove("0-0");
            assertThat(crossingsFound(PolygonValidity.problems(p, true))).as("trial %d, shell known valid", trial)
                    .containsAll(holesOnly).doesNotContain("0-0");
        }
        assertThat(crossingHoles).as("pairs of holes that cross, over all trials").isGreaterThan(100);
    }

    @Test
    void aShellKnownValidIsStillCheckedAgainstItsHoles() {
        Ring shell = ring(0, 0, 10000, 0, 10000, 10000, 0, 10000);
        Ring first = ring(5000, 20, 5003, 20, 5003, 23, 5000, 23);
        Ring across = ring(9998, 5000, 10002, 5000, 10002, 5003, 9998, 5003); // crosses the shell's right side
        Ring outside = ring(20000, 20000, 20003, 20000, 20003, 20003);
        Ring nested = ring(5001, 21, 5002, 21, 5002, 22); // inside the first hole

        assertThat(PolygonValidity.problems(new Polygon(shell, List.of(first, across)), true))
                .extracting(PolygonValidity.Problem::kind).containsExactly(Kind.RINGS_CROSS, Kind.RINGS_CROSS);
        assertThat(PolygonValidity.problems(new Polygon(shell, List.of(first, outside, nested)), true))
                .extracting(PolygonValidity.Problem::kind)
                .containsExactlyInAnyOrder(Kind.HOLE_OUTSIDE_SHELL, Kind.NESTED_HOLES);
    }

    @Test
    void longEdgesAmongTinyOnesKeepTheGridLinear() {
        // A comb: 2,000 teeth of unit steps, and long diagonal edges from each tooth's tip back to
        // the far corner and out again, the kind of ring a hostile import could hold.
        int teeth = 2000;
        double[] xy = new double[teeth * 8 + 4];
        int n = 0;
        for (int i = 0; i < teeth; i++) {
            double x = i * 2;
            xy[n++] = x;
            xy[n++] = 0;
            xy[n++] = x + 1;
            xy[n++] = 0;
            xy[n++] = x + 1;
            xy[n++] = 50_000 + i;
            xy[n++] = x + 1.5;
            xy[n++] = 0;
        }
        xy[n++] = teeth * 2;
        xy[n++] = -10;
        xy[n++] = 0;
        xy[n++] = -10;
        Ring comb = new Ring(java.util.Arrays.copyOf(xy, n));

        SegmentIndex index = SegmentIndex.of(List.of(comb));

        assertThat(index.entryCount()).as("entries for %d edges", comb.size()).isLessThan(8 * comb.size());
        assertThat(PolygonValidity.problems(new Polygon(comb, List.of()))).isNotNull();
    }

    @Test
    void thousandsOfTinyEdgesOnOneSpotAmongLongOnesAreNotAllTestedAgainstEachOther() {
        // A staircase of 20,000 steps of 0.0002 (a 4 x 4 spot) and four edges 2,000 long around it:
        // in cells of twice the mean edge length its 40,000 edges share cells in 7.7 x 10^7 pairs.
        int steps = 20_000;
        double[] xy = new double[4 * steps + 8];
        int n = 0;
        for (int i = 0; i < steps; i++) {
            xy[n++] = 1_000 + i * 0.0002;
            xy[n++] = 1_000 + i * 0.0002;
            xy[n++] = 1_000 + (i + 1) * 0.0002;
            xy[n++] = 1_000 + i * 0.0002;
        }
        double[] corners = {2_000, 1_004, 2_000, 2_000, 0, 2_000, 0, 0};
        System.arraycopy(corners, 0, xy, n, 8);
        Ring ring = new Ring(xy);

        SegmentIndex index = SegmentIndex.of(List.of(ring));

        assertThat(index.pairsSharingCells()).as("a tenth of them at most").isLessThan(77_000_000L / 10);
        assertThat(index.entryCount()).isLessThan(16 * ring.size());
        assertThat(PolygonValidity.problems(new Polygon(ring, List.of()))).isNotNull();
    }
}
