package org.histodraw.engine.raster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PixelRegionTest {

    @Test
    void expandingATileByItsHaloStopsAtTheImageBorder() {
        PixelRegion image = PixelRegion.of(100, 80);
        PixelRegion tile = new PixelRegion(0, 64, 64, 16);
        assertThat(tile.expand(10, image)).isEqualTo(new PixelRegion(0, 54, 74, 26));
    }

    @Test
    void regionsThatDoNotMeetIntersectEmpty() {
        assertThat(new PixelRegion(0, 0, 10, 10).intersect(new PixelRegion(20, 20, 5, 5)).isEmpty()).isTrue();
    }

    @Test
    void negativeSizeIsRejectedWithItsValues() {
        assertThatThrownBy(() -> new PixelRegion(0, 0, -1, 3)).hasMessageContaining("-1 x 3");
    }

    @Test
    void cropCopiesEveryChannel() {
        Raster r = Raster.allocate(4, 3, 2);
        r.set(1, 2, 1, 7f);
        Raster c = r.crop(new PixelRegion(2, 1, 2, 2));
        assertThat(c.get(1, 0, 0)).isEqualTo(7f);
        assertThat(c.channels()).isEqualTo(2);
    }
}
