package org.histodraw.slides.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.ChannelSums;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.tiles.TileSource;

/**
 * Measures a slide's channel statistics with its sample windows read and summed in parallel: on a
 * remote or compressed slide the 64 windows are 64 reads, and they need not wait for each other.
 * The result is the very one of {@link FeatureBank#measure}, whatever the threads.
 */
public final class SlideStatistics {
    private SlideStatistics() {
    }

    /** On a pool of its own with {@code threads} threads (none for 1). */
    public static ChannelStatistics measure(FeatureSettings features, TileSource slide, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (threads == 1) {
            return new FeatureBank(features).measure(slide);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            return measure(features, slide, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    /** On the caller's pool. */
    public static ChannelStatistics measure(FeatureSettings features, TileSource slide, ExecutorService pool) {
        // A bank holds scratch planes: one per worker thread.
        ThreadLocal<FeatureBank> banks = ThreadLocal.withInitial(() -> new FeatureBank(features));
        List<Future<ChannelSums>> parts = new ArrayList<>();
        for (PixelRegion window : FeatureBank.measuringWindows(slide.bounds())) {
            parts.add(pool.submit(() -> banks.get().sums(slide.read(window))));
        }
        List<ChannelSums> sums = new ArrayList<>(parts.size());
        try {
            for (Future<ChannelSums> part : parts) {
                sums.add(part.get());
            }
        } catch (InterruptedException e) {
            parts.forEach(p -> p.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("measuring the slide was interrupted", e);
        } catch (ExecutionException e) {
            parts.forEach(p -> p.cancel(true));
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("measuring the slide failed: " + e.getCause().getMessage(), e.getCause());
        }
        return ChannelSums.combine(sums);
    }
}
