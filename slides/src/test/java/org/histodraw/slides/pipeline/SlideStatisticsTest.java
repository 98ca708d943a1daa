package org.histodraw.slides.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.junit.jupiter.api.Test;

class SlideStatisticsTest {

    /**
     * A slide whose pixels are made up from their coordinates (no raster of its size in memory);
     * reads right of {@code corruptFromX} fail, as a damaged tile would.
     */
    private record MadeUpSlide(int width, int height, int corruptFromX) implements TileSource {
        MadeUpSlide(int width, int height) {
            this(width, height, Integer.MAX_VALUE);
        }

        @Override
        public Raster read(PixelRegion region) {
            if (region.x() >= corruptFromX) {
                throw new IllegalStateException("tile at " + region.x() + "," + region.y() + " is corrupt");
            }
            Raster out = Raster.allocate(region.width(), region.height(), 3);
            for (int y = 0; y < region.height(); y++) {
                for (int x = 0; x < region.width(); x++) {
                    int gx = region.x() + x, gy = region.y() + y;
                    int h = (gx * 73_856_093) ^ (gy * 19_349_663);
                    boolean stained = ((gx / 40) + (gy / 40)) % 3 == 0;
                    out.set(0, x, y, (stained ? 0.35f : 0.85f) + (h & 0xff) / 2560f);
                    out.set(1, x, y, (stained ? 0.25f : 0.60f) + ((h >> 8) & 0xff) / 2560f);
                    out.set(2, x, y, (stained ? 0.60f : 0.78f) + ((h >> 16) & 0xff) / 2560f);
                }
            }
            return out;
        }
    }

    @Test
    void windowsMeasuredInParallelGiveTheSerialStatisticsBitForBit() {
        // Above 4 Mpx: the grid of sample windows; below: the whole slide in squares.
        for (TileSource slide : new TileSource[] {new MadeUpSlide(2600, 1700), new MadeUpSlide(1500, 900)}) {
            for (String text : new String[] {FeatureSettings.defaults().toText(),
                    "kinds=gaussian;sigmas=1;channels=rgb+he;normalise=slide"}) {
                FeatureSettings features = FeatureSettings.parse(text);
                ChannelStatistics serial = new FeatureBank(features).measure(slide);
                for (int threads = 1; threads <= 3; threads++) {
                    assertThat(SlideStatistics.measure(features, slide, threads)).isEqualTo(serial);
                }
                assertThat(serial.channels()).isEqualTo(features.channels().channelCount());
            }
        }
    }

    @Test
    void aWindowThatCannotBeReadFailsTheMeasurementWithItsOwnMessage() {
        TileSource broken = new MadeUpSlide(3000, 3000, 1500);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertThatThrownBy(() -> SlideStatistics.measure(FeatureSettings.defaults(), broken, pool))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is corrupt");
        } finally {
            pool.shutdownNow();
        }
    }
}
