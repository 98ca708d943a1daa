package org.histodraw.slides.io;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.PolygonCleaning;

/**
 * Cleans traced polygons (small ones dropped, outlines simplified and checked) on worker threads
 * and hands them on in the order they were traced, so the file written is byte for byte what one
 * thread writes. The tissue map of a slide has hundreds of thousands of small polygons: cleaning
 * them on the tracing thread kept one core busy while the others waited.
 *
 * <p>Polygons travel in batches of {@value #BATCH}; at most {@value #IN_FLIGHT} batches are under
 * way, so memory stays bounded whatever the slide. With one worker, polygons are cleaned where they
 * arrive. Not thread-safe: one tracing thread calls {@link #accept} and {@link #finish}.
 */
final class ParallelCleaning implements Consumer<ClassifiedPolygon>, AutoCloseable {
    static final int BATCH = 64;
    static final int IN_FLIGHT = 32;

    private final PolygonCleaning cleaning;
    private final Double micronsPerPixel;
    private final Consumer<ClassifiedPolygon> sink;
    private final int workers;
    private final Consumer<ClassifiedPolygon> direct;
    private final ArrayDeque<Future<List<ClassifiedPolygon>>> pending = new ArrayDeque<>();
    private ExecutorService pool;
    private List<ClassifiedPolygon> batch = new ArrayList<>(BATCH);

    ParallelCleaning(PolygonCleaning cleaning, Double micronsPerPixel, Consumer<ClassifiedPolygon> sink, int workers) {
        this.cleaning = Objects.requireNonNull(cleaning, "cleaning");
        this.micronsPerPixel = micronsPerPixel;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.workers = workers;
        this.direct = workers <= 1 ? cleaning.before(sink, micronsPerPixel) : null;
    }

    /** One worker per processor. */
    ParallelCleaning(PolygonCleaning cleaning, Double micronsPerPixel, Consumer<ClassifiedPolygon> sink) {
        this(cleaning, micronsPerPixel, sink, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void accept(ClassifiedPolygon polygon) {
        if (direct != null) {
            direct.accept(polygon);
            return;
        }
        batch.add(polygon);
        if (batch.size() == BATCH) {
            send();
        }
    }

    /** Every polygon received is cleaned and handed on. */
    void finish() {
        if (direct != null) {
            return;
        }
        if (!batch.isEmpty()) {
            send();
        }
        while (!pending.isEmpty()) {
            handOnOldest();
        }
    }

    private void send() {
        List<ClassifiedPolygon> polygons = batch;
        batch = new ArrayList<>(BATCH);
        if (pool == null) {
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "histodraw-cleaning");
                t.setDaemon(true);
                return t;
            });
        }
        pending.add(pool.submit(() -> clean(polygons)));
        while (pending.size() > IN_FLIGHT || !pending.isEmpty() && pending.peek().isDone()) {
            handOnOldest();
        }
    }

    private List<ClassifiedPolygon> clean(List<ClassifiedPolygon> polygons) {
        List<ClassifiedPolygon> kept = new ArrayList<>(polygons.size());
        Consumer<ClassifiedPolygon> chain = cleaning.before(kept::add, micronsPerPixel);
        for (ClassifiedPolygon p : polygons) {
            chain.accept(p);
        }
        return kept;
    }

    private void handOnOldest() {
        List<ClassifiedPolygon> cleaned;
        try {
            cleaned = pending.poll().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cleaning polygons", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
        cleaned.forEach(sink);
    }

    /** Stops the workers (polygons not yet handed on are dropped: call {@link #finish} first to keep them). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        pending.clear();
    }
}
