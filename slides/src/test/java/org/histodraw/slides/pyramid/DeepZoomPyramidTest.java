package org.histodraw.slides.pyramid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepZoomPyramidTest {
    @TempDir
    Path temp;

    /** A deterministic picture with structure at every scale: gradients plus a hashed texture. */
    static int pixel(int x, int y) {
        int h = (x * 73856093) ^ (y * 19349663);
        int r = (x * 255 / 3000 + (h & 15)) & 0xff;
        int g = (y * 255 / 2000 + ((h >>> 4) & 15)) & 0xff;
        int b = ((x + y) / 8 + ((h >>> 8) & 31)) & 0xff;
        return r << 16 | g << 8 | b;
    }

    static TileSource generated(int width, int height) {
        return new TileSource() {
            @Override
            public int width() {
                return width;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public Raster read(PixelRegion region) {
                int[] rgb = new int[region.width() * region.height()];
                for (int y = 0; y < region.height(); y++) {
                    for (int x = 0; x < region.width(); x++) {
                        rgb[y * region.width() + x] = pixel(region.x() + x, region.y() + y);
                    }
                }
                return Raster.fromPackedRgb(region.width(), region.height(), rgb);
            }
        };
    }

    @Test
    void layoutOfA3000By2000ImageHas13LevelsWithDeepZoomTileCounts() {
        PyramidLayout layout = new PyramidLayout(3000, 2000, 254, 1, TileFormat.JPEG);
        assertThat(layout.maxLevel()).isEqualTo(12);
        assertThat(layout.columns(12)).isEqualTo(12);
        assertThat(layout.rows(12)).isEqualTo(8);
        assertThat(layout.levelWidth(11)).isEqualTo(1500);
        assertThat(layout.levelHeight(10)).isEqualTo(500);
        assertThat(layout.levelWidth(0)).isEqualTo(1);
        assertThat(layout.levelHeight(0)).isEqualTo(1);
        assertThat(layout.tileCount(11)).isEqualTo(6 * 4);
        assertThat(layout.tileRegion(12, 0, 0)).isEqualTo(new PixelRegion(0, 0, 255, 255));
        assertThat(layout.tileRegion(12, 1, 1)).isEqualTo(new PixelRegion(253, 253, 256, 256));
        assertThat(layout.tileRegion(12, 11, 7)).isEqualTo(new PixelRegion(2793, 1777, 207, 223));
        assertThat(PyramidLayout.parseDzi(layout.toDzi())).isEqualTo(layout);
    }

    @Test
    void oddSizesRoundUpAtEveryLevel() {
        PyramidLayout layout = new PyramidLayout(1025, 3, 254, 1, TileFormat.PNG);
        assertThat(layout.maxLevel()).isEqualTo(11);
        assertThat(layout.levelWidth(10)).isEqualTo(513);
        assertThat(layout.levelHeight(10)).isEqualTo(2);
        assertThat(layout.levelHeight(9)).isEqualTo(1);
    }

    @Test
    void builtPyramidHoldsEveryTileAndItsPixels() throws IOException {
        Path out = temp.resolve("slide");
        List<Long> progress = new ArrayList<>();
        PyramidLayout layout = DeepZoomPyramid.build(generated(3000, 2000), out, 254, 1, TileFormat.PNG,
                (done, total) -> {
                    synchronized (progress) {
                        progress.add(done * 1000 / total);
                    }
                });
        assertThat(DeepZoomPyramid.open(out)).isEqualTo(layout);
        for (int level = 0; level <= layout.maxLevel(); level++) {
            try (Stream<Path> files = Files.list(out.resolve("slide_files").resolve(Integer.toString(level)))) {
                assertThat(files.count()).as("tiles at level %d", level).isEqualTo(layout.tileCount(level));
            }
        }
        assertThat(progress).hasSize((int) layout.tileCount()).contains(1000L);

        // Full resolution: every pixel of a tile equals the source, overlap included.
        BufferedImage tile = ImageIO.read(DeepZoomPyramid.tileFile(out, layout, 12, 3, 2).toFile());
        PixelRegion r = layout.tileRegion(12, 3, 2);
        assertThat(tile.getWidth()).isEqualTo(r.width());
        for (int y = 0; y < r.height(); y += 7) {
            for (int x = 0; x < r.width(); x += 5) {
                assertThat(tile.getRGB(x, y) & 0xffffff).isEqualTo(pixel(r.x() + x, r.y() + y));
            }
        }
        // One level down: the mean of 2 x 2 source pixels.
        BufferedImage half = ImageIO.read(DeepZoomPyramid.tileFile(out, layout, 11, 2, 1).toFile());
        PixelRegion h = layout.tileRegion(11, 2, 1);
        for (int y = 0; y < h.height(); y += 11) {
            for (int x = 0; x < h.width(); x += 13) {
                int sx = 2 * (h.x() + x), sy = 2 * (h.y() + y);
                int expected = mean(pixel(sx, sy), pixel(sx + 1, sy), pixel(sx, sy + 1), pixel(sx + 1, sy + 1));
                assertThat(half.getRGB(x, y) & 0xffffff).isEqualTo(expected);
            }
        }
        assertThat(ImageIO.read(DeepZoomPyramid.tileFile(out, layout, 0, 0, 0).toFile()).getWidth()).isEqualTo(1);
        try (Stream<Path> siblings = Files.list(temp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("slide");
        }
    }

    @Test
    void failedBuildLeavesNothing() throws IOException {
        TileSource good = generated(600, 900);
        TileSource failing = new TileSource() {
            @Override
            public int width() {
                return good.width();
            }

            @Override
            public int height() {
                return good.height();
            }

            @Override
            public Raster read(PixelRegion region) {
                if (region.y() > 500) {
                    throw new IllegalStateException("disk on fire at row " + region.y());
                }
                return good.read(region);
            }
        };
        Path out = temp.resolve("slide");
        assertThatThrownBy(() -> DeepZoomPyramid.build(failing, out, TileFormat.JPEG, null))
                .hasMessageContaining("disk on fire");
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void refusesToOverwriteAnExistingPyramid() throws IOException {
        Path out = Files.createDirectory(temp.resolve("slide"));
        assertThatThrownBy(() -> DeepZoomPyramid.build(generated(10, 10), out, TileFormat.PNG, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }

    @Test
    void renderedRegionsMatchTheSourceAtFullAndHalfResolution() {
        Path out = temp.resolve("slide");
        DeepZoomPyramid.build(generated(1000, 700), out, 254, 1, TileFormat.PNG, null);
        try (org.histodraw.slides.io.DeepZoomSlide slide = org.histodraw.slides.io.DeepZoomSlide.open(out, "Deep Zoom", null)) {
            org.histodraw.slides.view.SlideView view = new org.histodraw.slides.view.SlideView(slide, slide.layout());
            PixelRegion region = new PixelRegion(240, 500, 300, 150);
            int[] full = view.picture(region, 300, 150);
            for (int y = 0; y < 150; y += 3) {
                for (int x = 0; x < 300; x += 7) {
                    assertThat(full[y * 300 + x] & 0xffffff).isEqualTo(pixel(240 + x, 500 + y));
                }
            }
            int[] half = view.picture(region, 150, 75);
            int sx = 240 + 2 * 20, sy = 500 + 2 * 30;
            assertThat(half[30 * 150 + 20] & 0xffffff)
                    .isEqualTo(mean(pixel(sx, sy), pixel(sx + 1, sy), pixel(sx, sy + 1), pixel(sx + 1, sy + 1)));
        }
    }

    static int mean(int... pixels) {
        int r = 0, g = 0, b = 0;
        for (int p : pixels) {
            r += (p >>> 16) & 0xff;
            g += (p >>> 8) & 0xff;
            b += p & 0xff;
        }
        int n = pixels.length;
        return ((r + n / 2) / n) << 16 | ((g + n / 2) / n) << 8 | ((b + n / 2) / n);
    }
}
