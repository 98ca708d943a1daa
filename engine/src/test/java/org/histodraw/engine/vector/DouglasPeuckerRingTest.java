package org.histodraw.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DouglasPeuckerRingTest {

    /** A 10 x 10 square with a vertex every pixel along its sides, and one 0.4 px bump. */
    private static double[] pixelSquare() {
        double[] xy = new double[80];
        int i = 0;
        for (int x = 0; x < 10; x++) {
            xy[i++] = x;
            xy[i++] = x == 5 ? 0.4 : 0;
        }
        for (int y = 0; y < 10; y++) {
            xy[i++] = 10;
            xy[i++] = y;
        }
        for (int x = 10; x > 0; x--) {
            xy[i++] = x;
            xy[i++] = 10;
        }
        for (int y = 10; y > 0; y--) {
            xy[i++] = 0;
            xy[i++] = y;
        }
        return xy;
    }

    @Test
    void aSquareOfPixelStepsComesDownToItsCorners() {
        assertThat(DouglasPeuckerRing.simplify(pixelSquare(), 40, 0.5)).containsExactly(0, 0, 10, 0, 10, 10, 0, 10);
    }

    @Test
    void detailLargerThanTheToleranceIsKept() {
        double[] s = DouglasPeuckerRing.simplify(pixelSquare(), 40, 0.35);
        assertThat(s).hasSize(10).containsSubsequence(5, 0.4);
    }

    @Test
    void aToleranceOfZeroOrATriangleKeepsEveryVertex() {
        assertThat(DouglasPeuckerRing.simplify(pixelSquare(), 40, 0)).containsExactly(pixelSquare());
        double[] triangle = {0, 0, 100, 0, 50, 0.01};
        assertThat(DouglasPeuckerRing.simplify(triangle, 3, 5)).containsExactly(triangle);
    }

    @Test
    void onlyTheGivenVerticesAreRead() {
        double[] closed = {0, 0, 4, 0, 4, 4, 0, 4, 0, 0};
        assertThat(DouglasPeuckerRing.simplify(closed, 4, 1)).containsExactly(0, 0, 4, 0, 4, 4, 0, 4);
    }

    @Test
    void aSliverThinnerThanTheToleranceLosesItsAreaUnlessATriangleIsKept() {
        double[] sliver = {0, 0, 50, 0.2, 100, 0, 50, -0.3};
        assertThat(DouglasPeuckerRing.simplify(sliver, 4, 1)).containsExactly(0, 0, 100, 0);
        assertThat(DouglasPeuckerRing.simplifyKeepingTriangle(sliver, 4, 1)).containsExactly(0, 0, 100, 0, 50, -0.3);
    }

    @Test
    void badArgumentsFailAtOnce() {
        assertThatThrownBy(() -> DouglasPeuckerRing.simplify(pixelSquare(), 40, -1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> DouglasPeuckerRing.simplify(pixelSquare(), 40, Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> DouglasPeuckerRing.simplify(new double[6], 4, 1)).hasMessageContaining("4 vertices need 8");
    }
}
