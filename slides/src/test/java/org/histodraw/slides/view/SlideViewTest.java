package org.histodraw.slides.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deep Zoom tiles and IIIF pictures cut from the original file: stored tiles pass, pictures are exact at full size. */
class SlideViewTest {
    @TempDir
    Path dir;

    private static int pattern(int x, int y) {
        return 0xff000000 | ((x * 7) & 255) << 16 | ((y * 3) & 255) << 8 | ((x ^ y) & 255);
    }

    /** A 1500 x 1100 PNG of a pattern, made into a pyramid by vips (skips where vips is absent). */
    private Path vipsPyramid(String compression) throws IOException, InterruptedException {
        BufferedImage img = new BufferedImage(1500, 1100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1100; y++) {
            for (int x = 0; x < 1500; x++) {
                img.setRGB(x, y, pattern(x, y));
            }
        }
        Path png = dir.resolve("p.png");
        ImageIO.write(img, "png", png.toFile());
        Path out = dir.resolve(compression + ".tif");
        Process p;
        try {
            p = new ProcessBuilder("vips", "tiffsave", png.toString(), out.toString(), "--tile", "--pyramid", "--compression",
                    compression, "--tile-width", "256", "--tile-height", "256").redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "vips is not installed (apt-get install libvips-tools)");
            return null;
        }
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.size(out)).isPositive();
        return out;
    }

    @Test
    void jpegTilesOnTheFilesGridAreSentAsStoredAndTheRestIsCut() throws Exception {
        try (SlideImage slide = SlideImages.open(vipsPyramid("jpeg"))) {
            PyramidLayout layout = SlideView.layoutFor(slide, TileFormat.JPEG);
            assertThat(layout.tileSize()).isEqualTo(256);
            assertThat(layout.overlap()).isZero();
            SlideView view = new SlideView(slide, layout);
            int full = layout.maxLevel();
            assertThat(view.storedLevel(full)).isZero();
            assertThat(view.storedLevel(full - 1)).isEqualTo(1);
            SlideView.CutTile inner = view.tile(full, 1, 1);
            assertThat(inner.stored()).isTrue();
            SlideView.CutTile edge = view.tile(full, 5, 4);
            assertThat(edge.stored()).as("edge tiles of a TIFF are padded: cut to size").isFalse();
            BufferedImage e = ImageIO.read(new ByteArrayInputStream(edge.bytes()));
            assertThat(e.getWidth()).isEqualTo(1500 - 5 * 256);
            assertThat(e.getHeight()).isEqualTo(1100 - 4 * 256);
            SlideView.CutTile small = view.tile(2, 0, 0);
            assertThat(small.stored()).isFalse();
            assertThat(ImageIO.read(new ByteArrayInputStream(small.bytes())).getWidth()).isEqualTo(layout.levelWidth(2));
        }
    }

    @Test
    void aPictureAtFullSizeHoldsTheFilesPixelsExactly() throws Exception {
        try (SlideImage slide = SlideImages.open(vipsPyramid("deflate"))) {
            SlideView view = new SlideView(slide, SlideView.layoutFor(slide, TileFormat.PNG));
            PixelRegion r = new PixelRegion(300, 200, 700, 600);
            int[] picture = view.picture(r, 700, 600);
            for (int y = 0; y < 600; y += 7) {
                for (int x = 0; x < 700; x += 5) {
                    assertThat(picture[y * 700 + x]).isEqualTo(pattern(300 + x, 200 + y));
                }
            }
            int[] half = view.picture(PixelRegion.of(1500, 1100), 750, 550);
            assertThat(half).hasSize(750 * 550);
        }
    }

    @Test
    void aFileWithoutCoarseLevelsGivesItsOverviewFromTheTilesBelow() throws Exception {
        Path big = dir.resolve("single.tif");
        BufferedImage img = new BufferedImage(4600, 1000, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 4600, 1000);
        g.dispose();
        javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
        for (var it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            var c = it.next();
            if (c.getClass().getName().startsWith("com.sun.")) {
                w = c;
            }
        }
        try (var out = ImageIO.createImageOutputStream(big.toFile())) {
            w.setOutput(out);
            var param = w.getDefaultWriteParam();
            param.setTilingMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setTiling(256, 256, 0, 0);
            w.write(null, new javax.imageio.IIOImage(img, null, null), param);
        }
        try (SlideImage slide = SlideImages.open(big)) {
            assertThat(slide.levels()).hasSize(1);
            SlideView view = new SlideView(slide, SlideView.layoutFor(slide, TileFormat.PNG));
            // 4600 x 1000 = 4.6 Mpx: the coarse tiles are made from the tiles under them, never one big read.
            SlideView.CutTile top = view.tile(0, 0, 0);
            BufferedImage one = ImageIO.read(new ByteArrayInputStream(top.bytes()));
            assertThat(one.getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
        }
    }
}
