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

    @Test
    void checkNamesTheProblem() {
        assertThatThrownBy(() -> PolygonValidity.check(new Polygon(ring(0, 0, 4, 4, 6, 0, 0, 6))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shell intersects itself at (3.0, 3.0)");
    }
}
