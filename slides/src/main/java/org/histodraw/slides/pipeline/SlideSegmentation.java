package org.histodraw.slides.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.histodraw.slides.pyramid.ProgressListener;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.pipeline.Refinement;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.StripAssembler;
import org.histodraw.engine.pipeline.StripSink;
import org.histodraw.engine.pipeline.TileGrid;
import org.histodraw.engine.pipeline.TilePredictor;
import org.histodraw.engine.pipeline.TileResult;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.tiles.TileSource;

/**
 * Runs a model over a whole slide on several threads: the engine's tiles are the work items, each
 * worker keeps its own feature scratch, and results reach the sink as strips from top to bottom.
 * At most a few tiles per thread are in flight, so memory is bounded by the tile size and the slide
 * width, never by the slide area.
 */
public final class SlideSegmentation implements AutoCloseable {
    public static final int DEFAULT_TILE_SIZE = 512;
    /** Tiles submitted ahead of the workers, per thread: enough to keep them busy while strips are assembled. */
    public static final int TILES_IN_FLIGHT_PER_THREAD = 2;

    private final SegmentationModel model;
    private final int tileSize;
    private final int threads;
    private final ExecutorService pool;
    private final ThreadLocal<TilePredictor> predictors;

    public SlideSegmentation(SegmentationModel model, int tileSize, int threads) {
        if (tileSize < 16) {
            throw new IllegalArgumentException("tile size must be at least 16 pixels: " + tileSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.model = model;
        this.tileSize = tileSize;
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "histodraw-tiles");
            t.setDaemon(true);
            return t;
        });
        this.predictors = ThreadLocal.withInitial(() -> new TilePredictor(model));
    }

    public SegmentationModel model() {
        return model;
    }

    /**
     * Predicts every tile of {@code source} and streams the strips to {@code sink}.
     *
     * @param probabilities also compute per-class probabilities and uncertainty
     * @throws CancellationException when {@code cancellation} is raised; the sink then never sees
     *                               {@code finish()}
     */
    public void predict(TileSource source, boolean probabilities, StripSink sink, ProgressListener progress,
                        Cancellation cancellation) {
        predict(source, null, probabilities, sink, progress, cancellation);
    }

    /**
     * As {@link #predict(TileSource, boolean, StripSink, ProgressListener, Cancellation)}, with the
     * slide's channel statistics already measured (while training on the same slide, say), so
     * that the slide is not read twice for them; null measures them now.
     */
    public void predict(TileSource source, ChannelStatistics statistics, boolean probabilities, StripSink sink,
                        ProgressListener progress, Cancellation cancellation) {
        ChannelStatistics slide = statistics != null ? statistics
                : SlideStatistics.measure(model.features(), source, pool);
        run(source, probabilities, sink, progress, cancellation,
                tile -> predictors.get().predict(source, slide, tile, probabilities));
    }

    /**
     * Coarse-to-fine: the model's classes of every pixel of {@code source}, exact where
     * {@code refinement} is not settled and its overview's elsewhere (see {@link Refinement}).
     *
     * @param exactPixels counts the pixels predicted exactly (may be null)
     */
    public void predict(TileSource source, ChannelStatistics statistics, Refinement refinement, StripSink sink,
                        ProgressListener progress, Cancellation cancellation, AtomicLong exactPixels) {
        ChannelStatistics slide = statistics != null ? statistics
                : SlideStatistics.measure(model.features(), source, pool);
        run(source, false, sink, progress, cancellation, tile -> {
            Refinement.Refined refined = refinement.refine(predictors.get(), source, slide, tile);
            if (exactPixels != null) {
                exactPixels.addAndGet(refined.exactPixels());
            }
            return refined.result();
        });
    }

    private void run(TileSource source, boolean probabilities, StripSink sink, ProgressListener progress,
                     Cancellation cancellation, Function<PixelRegion, TileResult> predictTile) {
        TileGrid grid = TileGrid.of(source.width(), source.height(), tileSize);
        int planes = probabilities ? model.classes().size() + 1 : 0;
        StripAssembler assembler = new StripAssembler(grid, planes, sink);
        Semaphore inFlight = new Semaphore(threads * TILES_IN_FLIGHT_PER_THREAD);
        AtomicLong done = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (PixelRegion tile : grid.tiles()) {
                cancellation.check();
                inFlight.acquire();
                futures.add(pool.submit(() -> {
                    try {
                        cancellation.check();
                        TileResult result = predictTile.apply(tile);
                        synchronized (assembler) {
                            assembler.accept(result);
                        }
                        progress.progress(done.incrementAndGet(), grid.tileCount());
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
                rethrowFailures(futures);
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw unwrap(e);
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    /** Fails fast: a tile that failed stops the submission of further tiles. */
    private static void rethrowFailures(List<Future<?>> futures) throws ExecutionException, InterruptedException {
        for (int i = futures.size() - 1; i >= 0; i--) {
            Future<?> f = futures.get(i);
            if (f.isDone()) {
                f.get();
                futures.remove(i);
            }
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
