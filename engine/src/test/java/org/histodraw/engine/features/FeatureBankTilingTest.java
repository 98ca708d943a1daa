package org.histodraw.engine.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Tiled features must equal whole-image features bit for bit, whatever the tile size and place. */
class FeatureBankTilingTest {
    private static final int WIDTH = 263;
    private static final int HEIGHT = 241;
    private static final Raster IMAGE = TestImages.tissue(WIDTH, HEIGHT, 42);

    @Test
    void tiledFeaturesEqualWholeImageFeaturesForScikitImagePreset() {
        assertTilingIsExact(FeatureSettings.scikitImage());
    }

    @Test
    void tiledFeaturesEqualWholeImageFeaturesForIlastikPreset() {
        assertTilingIsExact(FeatureSettings.ilastik());
    }

    @Test
    void tiledFeaturesEqualWholeImageFeaturesForDefaults() {
        assertTilingIsExact(FeatureSettings.defaults());
    }

    @Test
    void tiledFeaturesEqualWholeImageFeaturesOnStainChannels() {
        assertTilingIsExact(FeatureSettings.parse(
                "kinds=gaussian,gradient,log,dog,hessian,structure;sigmas=0.7,2.5,6;channels=rgb+he"));
        assertTilingIsExact(FeatureSettings.parse("kinds=structure,dog;sigmas=3;channels=hdab"));
    }

    @Test
    void slideNormalisationNeedsTheSlidesStatistics() {
        FeatureBank bank = new FeatureBank(FeatureSettings.defaults());
        Raster tile = IMAGE.crop(new PixelRegion(0, 0, 32, 32));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> bank.compute(tile, PixelRegion.of(32, 32), (ChannelStatistics) null))
                .hasMessageContaining("measure its channel statistics");
    }

    @Test
    void aSlideStainedTwiceAsStronglyGivesTheSameNormalisedIntensities() {
        FeatureSettings settings = FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=rgb;normalise=slide");
        FeatureBank bank = new FeatureBank(settings);
        Raster pale = TestImages.tissue(64, 48, 3);
        Raster strong = Raster.allocate(64, 48, 3);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < pale.pixelCount(); i++) {
                strong.plane(c)[i] = 0.1f + 0.5f * pale.plane(c)[i];
            }
        }
        Raster a = bank.compute(pale);
        Raster b = bank.compute(strong);
        for (int i = 0; i < a.pixelCount(); i += 97) {
            org.assertj.core.api.Assertions.assertThat(b.plane(0)[i])
                    .isCloseTo(a.plane(0)[i], org.assertj.core.api.Assertions.within(1e-3f));
        }
    }

    @Test
    void tiledFeaturesEqualWholeImageFeaturesOnARealSlide() throws IOException {
        String data = System.getProperty("histodraw.data");
        File png = data == null ? null : new File(data, "gbm-nuclei/01.png");
        Assumptions.assumeTrue(png != null && png.isFile(),
                "gbm-nuclei data not found (system property histodraw.data); skipping the real-slide check");
        BufferedImage img = ImageIO.read(png);
        int w = img.getWidth(), h = img.getHeight();
        Raster slide = Raster.fromPackedRgb(w, h, img.getRGB(0, 0, w, h, null, 0, w));
        FeatureBank bank = new FeatureBank(FeatureSettings.parse(
                "kinds=gaussian,gradient,hessian,structure;sigmas=0.7,4,16;channels=rgb+he"));
        Raster whole = bank.compute(slide);
        PixelRegion bounds = PixelRegion.of(w, h);
        for (PixelRegion tile : List.of(new PixelRegion(0, 0, 100, 100), new PixelRegion(200, 150, 100, 100),
                new PixelRegion(w - 100, h - 100, 100, 100), new PixelRegion(w - 64, 37, 64, 64))) {
            PixelRegion haloed = bank.inputRegion(tile, bounds);
            assertSameBits(bank.compute(slide.crop(haloed), new PixelRegion(tile.x() - haloed.x(),
                    tile.y() - haloed.y(), tile.width(), tile.height())), whole.crop(tile), "01.png tile " + tile);
        }
    }

    @Test
    void tilesOfAnImageSmallerThanTheHaloStillMatch() {
        Raster small = TestImages.tissue(40, 23, 7);
        FeatureBank bank = new FeatureBank(FeatureSettings.scikitImage());
        Raster whole = bank.compute(small);
        PixelRegion tile = new PixelRegion(5, 3, 17, 11);
        PixelRegion haloed = bank.inputRegion(tile, PixelRegion.of(40, 23));
        assertSameBits(crop(bank.compute(small.crop(haloed)), tile, haloed), whole.crop(tile), "small image");
    }

    private static void assertTilingIsExact(FeatureSettings settings) {
        FeatureBank bank = new FeatureBank(settings);
        assertThat(bank.halo()).isLessThan(Math.min(WIDTH, HEIGHT) / 2);
        Raster whole = bank.compute(IMAGE);
        PixelRegion bounds = PixelRegion.of(WIDTH, HEIGHT);
        // Tiles are normalised by the statistics of the whole slide, as the whole image is.
        ChannelStatistics slide = bank.measure(org.histodraw.engine.tiles.TileSource.of(IMAGE));
        for (int size : new int[] {17, 64, 100}) {
            for (PixelRegion tile : tilesAtCornersEdgesAndMiddle(size)) {
                PixelRegion haloed = bank.inputRegion(tile, bounds);
                Raster input = IMAGE.crop(haloed);
                Raster expected = whole.crop(tile);
                String where = settings.toText() + " tile " + tile;
                PixelRegion full = PixelRegion.of(input.width(), input.height());
                assertSameBits(crop(bank.compute(input, full, slide), tile, haloed), expected, where);
                PixelRegion inner = new PixelRegion(tile.x() - haloed.x(), tile.y() - haloed.y(),
                        tile.width(), tile.height());
                assertSameBits(bank.compute(input, inner, slide), expected, where + " (window)");
            }
        }
    }

    private static List<PixelRegion> tilesAtCornersEdgesAndMiddle(int size) {
        List<PixelRegion> tiles = new ArrayList<>();
        int right = WIDTH - size, bottom = HEIGHT - size;
        tiles.add(new PixelRegion(0, 0, size, size));
        tiles.add(new PixelRegion(right, 0, size, size));
        tiles.add(new PixelRegion(0, bottom, size, size));
        tiles.add(new PixelRegion(right, bottom, size, size));
        tiles.add(new PixelRegion((WIDTH - size) / 2 + 1, (HEIGHT - size) / 2 - 3, size, size));
        tiles.add(new PixelRegion(right - 5, (HEIGHT - size) / 3, size, size));
        tiles.add(new PixelRegion(71, bottom, size, size));
        return tiles;
    }

    private static Raster crop(Raster features, PixelRegion tile, PixelRegion haloed) {
        return features.crop(new PixelRegion(tile.x() - haloed.x(), tile.y() - haloed.y(),
                tile.width(), tile.height()));
    }

    static void assertSameBits(Raster actual, Raster expected, String where) {
        assertThat(actual.channels()).isEqualTo(expected.channels());
        for (int c = 0; c < expected.channels(); c++) {
            float[] a = actual.plane(c), e = expected.plane(c);
            for (int i = 0; i < e.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
                    throw new AssertionError(where + ": feature " + c + " differs at pixel "
                            + (i % actual.width()) + "," + (i / actual.width()) + ": " + a[i] + " != " + e[i]);
                }
            }
        }
    }
}
