package org.histodraw.server.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.SliceSource;
import org.histodraw.slides.io.SlideException;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pyramid.TileFormat;
import org.histodraw.slides.view.SlideView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open slides of the tile server: a slide is opened under its own lease, so a slow open (a large
 * slide on a busy disk) never holds up the tiles of the other slides, and the reads of the slide
 * being opened wait for that one open.
 */
@Timeout(120)
class OpenSlidesTest {
    @TempDir
    Path dir;
    private Path png;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** Held shut while the slow slide is being opened. */
    private final CountDownLatch slowDisk = new CountDownLatch(1);
    private final CountDownLatch slowOpening = new CountDownLatch(1);
    private final AtomicInteger opens = new AtomicInteger();

    @BeforeEach
    void image() throws IOException {
        BufferedImage picture = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                picture.setRGB(x, y, (x * 255 / 300) << 16 | (y * 255 / 200) << 8 | 128);
            }
        }
        png = dir.resolve("slide.png");
        ImageIO.write(picture, "png", png.toFile());
    }

    @AfterEach
    void stop() {
        slowDisk.countDown();
        threads.shutdownNow();
    }

    private static Slice slice(long id, String storageKey) {
        return new Slice(id, 1, 1, "slide " + id, id, 300, 200, null, 256, 0, TileFormat.JPEG, storageKey, 0,
                new SliceSource(SliceSource.FILE, storageKey + "/original.png", false, "PNG", null, null, List.of()));
    }

    /** Opens the picture for any slice; the slice "slow" waits for {@link #slowDisk} first. */
    private SlideView open(Slice slice) {
        opens.incrementAndGet();
        if (slice.storageKey().equals("slow")) {
            slowOpening.countDown();
            try {
                slowDisk.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        SlideImage image = SlideImages.open(png);
        return new SlideView(image, slice.layout());
    }

    @Test
    void aSlowOpenOfOneSlideDoesNotHoldUpTheTilesOfAnother() throws Exception {
        try (OpenSlides open = new OpenSlides(16, this::open)) {
            Slice slow = slice(1, "slow");
            Slice quick = slice(2, "quick");
            Future<OpenSlides.Lease> waiting = threads.submit(() -> open.acquire(slow));
            assertTrue(slowOpening.await(30, TimeUnit.SECONDS), "the slow slide's open did not start");

            // While the slow slide is still being opened, another slide opens and reads.
            Future<int[]> other = threads.submit(() -> {
                OpenSlides.Lease lease = open.acquire(quick);
                try {
                    return lease.view().picture(PixelRegion.of(300, 200), 30, 20, null);
                } finally {
                    open.release(lease);
                }
            });
            assertEquals(600, other.get(30, TimeUnit.SECONDS).length, "the other slide's read waited for the slow open");
            assertFalse(waiting.isDone(), "the slow slide was opened before its disk answered");

            slowDisk.countDown();
            OpenSlides.Lease lease = waiting.get(30, TimeUnit.SECONDS);
            assertEquals(300, lease.view().slide().width());
            open.release(lease);
            assertEquals(2, open.size());
        }
    }

    @Test
    void theReadsOfASlideBeingOpenedWaitForThatOneOpen() throws Exception {
        try (OpenSlides open = new OpenSlides(16, this::open)) {
            Slice slow = slice(1, "slow");
            Future<OpenSlides.Lease> first = threads.submit(() -> open.acquire(slow));
            assertTrue(slowOpening.await(30, TimeUnit.SECONDS));
            Future<OpenSlides.Lease> second = threads.submit(() -> open.acquire(slow));
            Thread.sleep(200); // the second read is now waiting for the first one's open (or about to)
            assertFalse(second.isDone(), "a read got the slide before it was open");
            slowDisk.countDown();
            OpenSlides.Lease a = first.get(30, TimeUnit.SECONDS);
            OpenSlides.Lease b = second.get(30, TimeUnit.SECONDS);
            assertSame(a, b);
            assertSame(a.view(), b.view());
            assertEquals(1, opens.get(), "the slide was opened more than once");
            open.release(a);
            open.release(b);
        }
    }

    @Test
    void aFailedOpenIsNotRememberedAndTheNextReadTriesAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (OpenSlides open = new OpenSlides(16, slice -> {
            if (calls.incrementAndGet() == 1) {
                throw new SlideException(png, "truncated TIFF", "the disk was not mounted yet");
            }
            return open(slice);
        })) {
            Slice slice = slice(1, "flaky");
            SlideException e = assertThrows(SlideException.class, () -> open.acquire(slice));
            assertTrue(e.getMessage().contains("not mounted"), e.getMessage());
            assertEquals(0, open.size(), "the failed slide took a place among the open ones");
            OpenSlides.Lease lease = open.acquire(slice);
            assertEquals(200, lease.view().slide().height());
            open.release(lease);
            assertEquals(1, open.size());
        }
    }

    @Test
    void aSlideRetiredWhileBeingOpenedIsClosedWhenItsReadIsOver() throws Exception {
        try (OpenSlides open = new OpenSlides(1, this::open)) {
            Future<OpenSlides.Lease> slow = threads.submit(() -> open.acquire(slice(1, "slow")));
            assertTrue(slowOpening.await(30, TimeUnit.SECONDS));
            // capacity 1: the slow one is retired by the next slide, which opens at once
            OpenSlides.Lease quick = threads.submit(() -> open.acquire(slice(2, "quick"))).get(30, TimeUnit.SECONDS);
            open.release(quick);
            assertEquals(1, open.size());
            slowDisk.countDown();
            OpenSlides.Lease lease = slow.get(30, TimeUnit.SECONDS);
            SlideImage image = lease.view().slide();
            assertEquals(30 * 20, image.readArgb(0, PixelRegion.of(30, 20)).length, "a retired slide was closed under its read");
            open.release(lease);
            assertThrows(IllegalStateException.class, () -> image.readArgb(0, PixelRegion.of(30, 20)),
                    "the retired slide stayed open after its read");
            assertEquals(1, open.size());
            assertEquals(2, opens.get());
        }
    }
}
