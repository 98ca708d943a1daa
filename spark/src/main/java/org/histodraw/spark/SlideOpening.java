package org.histodraw.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.histodraw.engine.pipeline.TilePredictor;

/**
 * The first stage: opens each slide of a group (one group per task), reads its size and pixel size
 * and measures its channel statistics (of its full resolution, for tissue maps too: the overview
 * was trained with them). A slide that is missing, unreadable or corrupt becomes a
 * failed outcome here, with the reader's message, instead of failing the job.
 */
final class SlideOpening implements FlatMapFunction<List<SlideOpening.Request>, SlideOpening.Opened> {
    private final Broadcast<byte[]> model;
    private final ServerAccess server;
    private final int resolution;

    /** A slide of the cohort: its row in the summary and its path as the executors see it. */
    record Request(int index, String path) implements Serializable {
    }

    /** Either a plan or a failure, with the seconds spent finding out. */
    record Opened(SlidePlan plan, SlideOutcome failure, double seconds) implements Serializable {
    }

    SlideOpening(Broadcast<byte[]> model, ServerAccess server, int resolution) {
        this.model = model;
        this.server = server;
        this.resolution = resolution;
    }

    @Override
    public Iterator<Opened> call(List<Request> group) {
        List<Opened> opened = new ArrayList<>(group.size());
        for (Request request : group) {
            opened.add(open(request));
        }
        return opened.iterator();
    }

    /** Cuts the requests into {@code count} groups of consecutive slides, as even as can be. */
    static List<List<Request>> groups(List<Request> requests, int count) {
        List<List<Request>> groups = new ArrayList<>(count);
        for (int g = 0; g < count; g++) {
            groups.add(new ArrayList<>(requests.subList(g * requests.size() / count, (g + 1) * requests.size() / count)));
        }
        return groups;
    }

    private Opened open(Request request) {
        long t0 = System.nanoTime();
        try (SlideSource image = SlideSource.open(request.path(), server)) {
            TilePredictor predictor = new TilePredictor(ModelCache.get(model));
            double mpp = image.micronsPerPixel();
            SlidePlan plan = SlidePlan.of(request.index(), request.path(), image.width(), image.height(),
                    Double.isNaN(mpp) ? Optional.empty() : Optional.of(mpp), predictor.measure(image), resolution);
            return new Opened(plan, null, seconds(t0));
        } catch (RuntimeException e) {
            return new Opened(null, SlideOutcome.failed(request.index(), request.path(), message(e), seconds(t0)),
                    seconds(t0));
        }
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The exception's own words (the slide readers' messages name the file and the problem). */
    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }
}
