package org.histodraw.engine.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
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
    void tiledFeaturesEqualWholeImageFeaturesOnEveryPyramidLevel() {
        assertTilingIsExact(FeatureSettings.defaults().withLevels(List.of(1, 2, 4, 8, 16)));
        assertTilingIsExact(FeatureSettings.parse("kinds=gaussian,structure,dog;sigmas=0.7,3;levels=2,8;channels=rgb+hdab"));
        assertTilingIsExact(FeatureSettings.parse("kinds=gaussian,hessian;sigmas=1;levels=16;channels=rgb"));
    }

    @Test
    void coarseLevelsOfAnImageOfOddSizeEndInPartialBlocksAlike() {
        // 203 x 157 at level 16 is 13 x 10 pixels, the last ones made of partial blocks.
        Raster odd = TestImages.tissue(203, 157, 11);
        FeatureBank bank = new FeatureBank(FeatureSettings.parse("kinds=gaussian,gradient;sigmas=1,2.5;levels=1,4,16;channels=he;normalise=slide"));
        Raster whole = bank.compute(odd);
        ChannelStatistics slide = bank.measure(TileSource.of(odd));
        for (PixelRegion tile : List.of(new PixelRegion(0, 0, 203, 157), new PixelRegion(190, 140, 13, 17),
                new PixelRegion(1, 2, 3, 4), new PixelRegion(96, 0, 50, 157), new PixelRegion(202, 156, 1, 1))) {
            Raster out = Raster.allocate(tile.width(), tile.height(), bank.featureCount());
            bank.compute(TileSource.of(odd), tile, out, slide);
            assertSameBits(out, whole.crop(tile), "odd image tile " + tile);
        }
    }

    @Test
    void readingMoreThanTheInputRegionChangesNothing() {
        FeatureBank bank = new FeatureBank(FeatureSettings.defaults().withLevels(List.of(1, 4, 16)));
        ChannelStatistics slide = bank.measure(TileSource.of(IMAGE));
        PixelRegion bounds = PixelRegion.of(WIDTH, HEIGHT);
        PixelRegion tile = new PixelRegion(120, 97, 31, 45);
        Raster exact = Raster.allocate(31, 45, bank.featureCount());
        bank.compute(TileSource.of(IMAGE), tile, exact, slide);
        Raster fromWhole = Raster.allocate(31, 45, bank.featureCount());
        bank.compute(IMAGE, bounds, bounds, tile, fromWhole, slide);
        assertSameBits(fromWhole, exact, "the whole image read for one tile");
        PixelRegion tooLittle = new PixelRegion(100, 80, 80, 80);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bank.compute(IMAGE.crop(tooLittle), tooLittle, bounds,
                tile, fromWhole, slide)).hasMessageContaining("do not cover");
    }

    @Test
    void coarseFeaturesDescribeTheSlideFarAroundAtLittleCost() {
        // A Gaussian of sigma 2.5 at level 16 is the slide smoothed about as far as sigma 40:
        // on a smooth ramp, it is the ramp itself; on the bank's side of interpolation, no seams.
        Raster ramp = TestImages.grey(1024, 48, (x, y) -> 0.2f + 0.6f * x / 1024f);
        FeatureBank bank = new FeatureBank(FeatureSettings.parse("kinds=gaussian;sigmas=2.5;levels=1,16;channels=rgb"));
        Raster f = bank.compute(ramp);
        // Away from the borders (where the mirrored ramp bends the smoothed one):
        for (int x = 300; x < 700; x += 7) {
            float coarse = f.get(3, x, 24);
            assertThat(coarse).isCloseTo(0.2f + 0.6f * x / 1024f, org.assertj.core.api.Assertions.within(0.001f));
            float next = f.get(3, x + 1, 24);
            assertThat(next - coarse).isBetween(0f, 0.002f);
        }
        assertThat(bank.featureNames()).contains("Red Gaussian σ=2.5", "Red Gaussian σ=2.5 at 1/16");
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
        Raster whole = bank.compute(IMAGE);
        PixelRegion bounds = PixelRegion.of(WIDTH, HEIGHT);
        // Tiles are normalised by the statistics of the whole slide, as the whole image is.
        ChannelStatistics slide = bank.measure(TileSource.of(IMAGE));
        for (int size : new int[] {17, 64, 100}) {
            for (PixelRegion tile : tilesAtCornersEdgesAndMiddle(size)) {
                PixelRegion read = bank.inputRegion(tile, bounds);
                assertThat(read.x()).isGreaterThanOrEqualTo(Math.max(0, tile.x() - bank.halo()));
                assertThat(read.endX()).isLessThanOrEqualTo(Math.min(WIDTH, tile.endX() + bank.halo()));
                Raster expected = whole.crop(tile);
                String where = settings.toText() + " tile " + tile;
                Raster out = Raster.allocate(tile.width(), tile.height(), bank.featureCount());
                bank.compute(IMAGE.crop(read), read, bounds, tile, out, slide);
                assertSameBits(out, expected, where);
                if (settings.levels().equals(FeatureSettings.FULL_RESOLUTION)) {
                    // One level: the part read is the image as far as the tile's features reach.
                    Raster input = IMAGE.crop(read);
                    PixelRegion inner = new PixelRegion(tile.x() - read.x(), tile.y() - read.y(),
                            tile.width(), tile.height());
                    assertSameBits(bank.compute(input, inner, slide), expected, where + " (window)");
                }
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
