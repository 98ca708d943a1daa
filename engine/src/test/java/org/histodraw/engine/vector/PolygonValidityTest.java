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
}
