package org.histodraw.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.histodraw.engine.pipeline.TileGrid;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server's slice read as a tile source: the very pixels of the uploaded file, whatever the region. */
class RemoteSlideTest {
    static AnnotatedProject project = AnnotatedProject.shared();
    static ServerClient client = project.client(project.readToken);

    @Test
    void regionsAcrossBlockBordersHoldTheFilesPixels() {
        RemoteSlide slide = new RemoteSlide(client, client.slice(project.slices.get(0)));
        assertThat(slide.width()).isEqualTo(700);
        assertThat(slide.height()).isEqualTo(600);
        for (PixelRegion region : List.of(new PixelRegion(0, 0, 700, 600), new PixelRegion(500, 480, 100, 90),
                new PixelRegion(511, 511, 2, 2), new PixelRegion(0, 0, 1, 1), new PixelRegion(699, 599, 1, 1),
                new PixelRegion(13, 500, 687, 17))) {
            assertSamePixels(slide.read(region), project.images.get(0), region);
        }
    }

    @Test
    void workersReadingTheSameBlocksAtOnceAllGetThePixels() throws Exception {
        RemoteSlide slide = new RemoteSlide(client, client.slice(project.slices.get(0)), 4);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Raster>> reads = new ArrayList<>();
            List<PixelRegion> regions = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                PixelRegion region = new PixelRegion((i * 37) % 600, (i * 53) % 500, 100, 100);
                regions.add(region);
                reads.add(pool.submit(() -> slide.read(region)));
            }
            for (int i = 0; i < reads.size(); i++) {
                assertSamePixels(reads.get(i).get(), project.images.get(0), regions.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSmallSlicePrefetchedWholeReadsAsTheFile() {
        RemoteSlide slide = new RemoteSlide(client, client.slice(project.slices.get(1)));
        slide.prefetchWhenSmall();
        assertSamePixels(slide.read(new PixelRegion(0, 0, 300, 200)), project.images.get(1), new PixelRegion(0, 0, 300, 200));
    }

    @Test
    void aScaledRegionHasTheAskedSizeAndTheRegionsColours() {
        RemoteSlide slide = new RemoteSlide(client, client.slice(project.slices.get(1)));
        Raster scaled = slide.scaled(new PixelRegion(0, 0, 300, 200), 30, 20);
        assertThat(scaled.width()).isEqualTo(30);
        assertThat(scaled.height()).isEqualTo(20);
        // Random colours average out to mid-grey at a tenth of the size.
        double mean = 0;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                mean += level(scaled, 0, x, y);
            }
        }
        assertThat(mean / 600).isBetween(90.0, 165.0);
    }

    @Test
    void aLevelHoldsTheMeanOfTheSlicesPixelsItStandsFor() {
        RemoteSlide slide = new RemoteSlide(client, client.slice(project.slices.get(0)), 4);
        RemoteSlide level = slide.level(8);
        // 700 x 600 at 1/8: the last column stands for the 4 pixels left of the slice's width
        assertThat(level.width()).isEqualTo(88);
        assertThat(level.height()).isEqualTo(75);
        assertThat(level.downsample()).isEqualTo(8);
        Raster whole = level.read(level.bounds());
        // The server averages from its pyramid, whose levels of this noise are lossy: the means agree
        // within a few levels, where the mean of the next block (a misplaced read) is ~10 levels off.
        double aligned = meanError(whole, 0), shifted = meanError(whole, 1);
        assertThat(aligned).isLessThan(5.0).isLessThan(shifted / 2);
        PixelRegion part = new PixelRegion(60, 60, 28, 15);
        Raster read = level.read(part);
        for (int y = 0; y < part.height(); y++) {
            for (int x = 0; x < part.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(level(read, c, x, y)).isEqualTo(level(whole, c, part.x() + x, part.y() + y));
                }
            }
        }
        assertThatThrownBy(() -> slide.level(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 0");
    }

    /** The mean difference between a level-8 raster of slice 0 and the means of the 8 x 8 blocks {@code dx} blocks right. */
    private static double meanError(Raster level, int dx) {
        BufferedImage original = project.images.get(0);
        double error = 0;
        long n = 0;
        for (int y = 0; y < level.height(); y++) {
            for (int x = 0; x + dx < level.width(); x++) {
                int x0 = (x + dx) * 8, y0 = y * 8, x1 = Math.min(700, x0 + 8), y1 = Math.min(600, y0 + 8);
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int sy = y0; sy < y1; sy++) {
                        for (int sx = x0; sx < x1; sx++) {
                            sum += (original.getRGB(sx, sy) >> (16 - 8 * c)) & 0xff;
                        }
                    }
                    error += Math.abs(level(level, c, x, y) - sum / ((x1 - x0) * (y1 - y0)));
                    n++;
                }
            }
        }
        return error / n;
    }

    @Test
    void aWalkOfTilesFetchesEachBlockOnceAndSamplingFetchesOnlyTheWindows(@TempDir Path folder) {
        // 34 blocks across and 2 down: more than the 64 blocks a job kept before, when each row of
        // tiles fetched its blocks again (a 30k slide was read about four times over)
        BufferedImage wide = new BufferedImage(17_000, 700, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < wide.getHeight(); y++) {
            for (int x = 0; x < wide.getWidth(); x++) {
                wide.setRGB(x, y, (x & 0xff) << 16 | (y & 0xff) << 8 | (x >> 8 ^ y >> 8) & 0xff);
            }
        }
        long wideProject = project.owner.project("Wide"); // apart from what the other tests list
        long id = project.owner.upload(project.owner.series(wideProject, "Strip"), AnnotatedProject.write(wide, folder.resolve("wide.png")));
        ServerClient reader = project.client(project.owner.token(wideProject, "read"));
        int tileSize = 256, halo = 20;
        RemoteSlide slide = new RemoteSlide(reader, reader.slice(id)).sizedForTileWalk(tileSize, halo, 4);
        assertThat(slide.cachedBlocks()).isGreaterThanOrEqualTo(2 * 34).isLessThan(3 * 34);
        for (PixelRegion tile : TileGrid.of(slide.width(), slide.height(), tileSize).tiles()) {
            PixelRegion read = tile.expand(halo, slide.bounds());
            Raster pixels = slide.read(read);
            if (tile.x() == 16_896 && tile.y() == 512) { // the last column, across four blocks
                assertSamePixels(pixels, wide, read);
            }
        }
        assertThat(slide.fetches()).isEqualTo(34 * 2);

        // Sampling windows are fetched as asked, none kept: one request for a window across two
        // blocks, two for a window wider than a block; a slice held whole by the cache is read through it.
        RemoteSlide fresh = new RemoteSlide(reader, reader.slice(id));
        TileSource sampling = fresh.forSampling();
        PixelRegion window = new PixelRegion(300, 100, 256, 256), wideWindow = new PixelRegion(16_000, 0, 600, 300);
        assertSamePixels(sampling.read(window), wide, window);
        assertThat(fresh.fetches()).isEqualTo(1);
        assertSamePixels(sampling.read(wideWindow), wide, wideWindow);
        assertThat(fresh.fetches()).isEqualTo(3);
        RemoteSlide small = new RemoteSlide(client, client.slice(project.slices.get(0)));
        assertThat(small.forSampling()).isSameAs(small);
    }

    @Test
    void regionsOutsideTheSliceAndSlicesWithoutPixelsAreRefused() {
        SliceInfo info = client.slice(project.slices.get(1));
        RemoteSlide slide = new RemoteSlide(client, info);
        assertThatThrownBy(() -> slide.read(new PixelRegion(250, 150, 100, 100))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slice " + info.id());
        assertThatThrownBy(() -> slide.read(new PixelRegion(0, 0, 0, 10))).isInstanceOf(IllegalArgumentException.class);
        SliceInfo ingesting = new SliceInfo(info.id(), info.seriesId(), info.projectId(), info.name(), 0, 0, 0, null, 0);
        assertThatThrownBy(() -> new RemoteSlide(client, ingesting)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no pixels");
    }

    private static void assertSamePixels(Raster read, BufferedImage original, PixelRegion region) {
        assertThat(read.width()).isEqualTo(region.width());
        assertThat(read.height()).isEqualTo(region.height());
        for (int y = 0; y < region.height(); y++) {
            for (int x = 0; x < region.width(); x++) {
                int rgb = original.getRGB(region.x() + x, region.y() + y);
                int got = (level(read, 0, x, y) << 16) | (level(read, 1, x, y) << 8) | level(read, 2, x, y);
                if (got != (rgb & 0xffffff)) {
                    throw new AssertionError("pixel " + (region.x() + x) + "," + (region.y() + y) + " of " + region
                            + ": " + Integer.toHexString(got) + " instead of " + Integer.toHexString(rgb & 0xffffff));
                }
            }
        }
    }

    /** The 8-bit level of a channel (rasters hold levels / 255). */
    private static int level(Raster raster, int channel, int x, int y) {
        return Math.round(raster.get(channel, x, y) * 255);
    }
}
