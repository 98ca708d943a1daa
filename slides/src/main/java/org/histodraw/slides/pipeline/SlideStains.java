package org.histodraw.slides.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.histodraw.engine.colour.StainEstimator;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * Estimates a slide's stain vectors ("estimate from this slide") from the windows its channel
 * statistics are measured on ({@link FeatureBank#measuringWindows}: the whole slide up to 4 Mpx,
 * else 64 windows spread over it), read in parallel and added in window order, so the answer does
 * not depend on the threads.
 */
public final class SlideStains {
    private SlideStains() {
    }

    /**
     * @param reference the stains to estimate (H&amp;E or H-DAB): their names and order
     * @throws IllegalArgumentException when the slide holds too few stained pixels
     */
    public static StainVectors estimate(TileSource slide, StainVectors reference, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        List<PixelRegion> windows = FeatureBank.measuringWindows(slide.bounds());
        StainEstimator estimator = new StainEstimator(reference);
        if (threads == 1) {
            windows.forEach(w -> estimator.add(slide.read(w)));
            return estimator.estimate();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Raster>> reads = new ArrayList<>();
        try {
            for (PixelRegion window : windows) {
                reads.add(pool.submit(() -> slide.read(window)));
            }
            for (Future<Raster> read : reads) {
                estimator.add(read.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("estimating the stains was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("reading the slide failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return estimator.estimate();
    }
}
