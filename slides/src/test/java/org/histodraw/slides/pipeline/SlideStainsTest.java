package org.histodraw.slides.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.histodraw.engine.colour.StainEstimator;
import org.histodraw.engine.colour.StainVector;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SlideStainsTest {

    @Test
    void theIhcSlidesStainsAreEstimatedAlikeOnAnyNumberOfThreads() {
        Path ihc = Path.of(System.getProperty("histodraw.data", "../shared/data"), "ihc", "ihc.png");
        Assumptions.assumeTrue(Files.isRegularFile(ihc), "shared data not found: skipping");
        try (SlideImage slide = SlideImages.open(ihc)) {
            StainVectors one = SlideStains.estimate(slide, StainVectors.HEMATOXYLIN_DAB, 1);
            assertThat(SlideStains.estimate(slide, StainVectors.HEMATOXYLIN_DAB, 3)).isEqualTo(one);
            assertThat(one).isEqualTo(StainEstimator.estimate(slide.read(slide.bounds()), StainVectors.HEMATOXYLIN_DAB));
            assertThat(one.second().angleTo(StainVector.DAB)).isLessThan(10);
        }
    }

    @Test
    void aBlankSlideIsRefusedWithTheReason() {
        Raster white = Raster.allocate(300, 200, 3);
        for (int c = 0; c < 3; c++) {
            java.util.Arrays.fill(white.plane(c), 1f);
        }
        assertThatThrownBy(() -> SlideStains.estimate(TileSource.of(white), StainVectors.HEMATOXYLIN_EOSIN, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too few stained pixels");
    }
}
