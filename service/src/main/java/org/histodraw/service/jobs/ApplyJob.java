package org.histodraw.service.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TileGrid;
import org.histodraw.client.ServerClient;
import org.histodraw.client.ServerException;
import org.histodraw.client.SliceInfo;
import org.histodraw.service.access.Caller;
import org.histodraw.service.errors.ClientError;
import org.histodraw.service.models.ModelRef;
import org.histodraw.client.RemoteSlide;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.pipeline.Refinement;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pipeline.ClassAreas;
import org.histodraw.slides.pipeline.CoarseToFine;
import org.histodraw.slides.pipeline.SlideSegmentation;
import org.histodraw.slides.pipeline.SlideStatistics;
import org.histodraw.slides.pyramid.ProgressListener;

/**
 * Applies a model to slices of the server: each slice is predicted tile by tile on the job's
 * threads, traced into polygons and staged on the server under the job's id; when every slice is
 * done the job publishes them all at once (so a job that dies half-way leaves nothing visible),
 * replacing its layer's previous content. Human regions live in another layer and are never touched.
 *
 * <p>At the resolution its settings ask for: every pixel; a tissue map from the slice downsampled
 * (the model's overview on the server's level, polygons in the slice's coordinates); or every pixel
 * coarse-to-fine (the overview first, the model exactly wherever the overview is not settled), as
 * {@code histodraw segment} does with {@code --resolution} and {@code --refine}.
 */
public final class ApplyJob {

    private final String id;
    private final Caller caller;
    private final SegmentationModel model;
    private final ModelRef ref;
    private final List<SliceInfo> slices;
    private final JobSettings settings;
    private final Cancellation cancellation = new Cancellation();
    private final ClassAreas areas;
    private final List<SliceProgress> progress = new ArrayList<>();
    private volatile String state = "queued";
    private volatile String message = "";
    private volatile long startedAt;
    private volatile long finishedAt;

    ApplyJob(String id, Caller caller, SegmentationModel model, ModelRef ref, List<SliceInfo> slices, JobSettings settings) {
        if (slices.isEmpty()) {
            throw ClientError.badRequest("no slices to segment: choose a series or a range with slices");
        }
        settings.requireFits(model);
        this.id = id;
        this.caller = caller;
        this.model = model;
        this.ref = ref;
        this.slices = List.copyOf(slices);
        this.settings = settings;
        this.areas = new ClassAreas(model.classes());
        int r = settings.resolution();
        for (SliceInfo s : slices) {
            long tiles = TileGrid.of((s.width() + r - 1) / r, (s.height() + r - 1) / r, settings.tileSize()).tileCount();
            progress.add(new SliceProgress(s.id(), s.name(), 0, tiles, "queued", 0, 0, 0));
        }
    }

    public String id() {
        return id;
    }

    /** Who started the job. */
    public Caller caller() {
        return caller;
    }

    public String state() {
        return state;
    }

    public SegmentationModel model() {
        return model;
    }

    public ClassAreas areas() {
        return areas;
    }

    /** Asks the job to stop between two tiles; what it staged is dropped. */
    public void cancel() {
        cancellation.cancel();
        if (state.equals("queued")) {
            state = "cancelled";
            message = "cancelled before it started";
        }
    }

    public boolean finished() {
        return switch (state) {
            case "done", "failed", "cancelled", "interrupted" -> true;
            default -> false;
        };
    }

    /** The provenance every generated region carries: which service, model, training slices and job. */
    Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("service", settings.serviceName());
        p.put("model", model.id());
        p.put("modelId", model.id());
        p.put("modelName", ref.name());
        p.put("modelVersion", ref.version());
        p.put("trainingSlices", List.copyOf(ref.trainingSlices()));
        p.put("job", id);
        p.put("jobId", id);
        p.put("resolution", settings.resolution());
        if (settings.refine()) {
            p.put("refined", true); // coarse-to-fine: settled blocks took the overview's class
        }
        return p;
    }

    /**
     * Runs the job to its end on the calling thread (the service runs one job at a time). Three
     * stages overlap: the next slice's pixels are fetched and the previous slice's polygons are sent
     * while the tiles of the current slice are predicted.
     */
    void run(ServerClient server, Path workDir) {
        if (cancellation.isCancelled()) {
            state = "cancelled";
            return;
        }
        state = "running";
        startedAt = System.currentTimeMillis();
        Map<String, Object> provenance = provenance();
        ExecutorService prefetcher = Executors.newSingleThreadExecutor(daemon("histodraw-prefetch"));
        ExecutorService uploader = Executors.newSingleThreadExecutor(daemon("histodraw-upload"));
        List<Future<?>> uploads = new ArrayList<>();
        try (SlideSegmentation segmentation = new SlideSegmentation(predicting(), settings.tileSize(), settings.threads())) {
            Files.createDirectories(workDir);
            Future<RemoteSlide> next = prefetcher.submit(() -> open(server, 0));
            for (int i = 0; i < slices.size(); i++) {
                if (cancellation.isCancelled()) {
                    throw new CancellationException("cancelled by the user");
                }
                RemoteSlide source = next.get();
                if (i + 1 < slices.size()) {
                    int following = i + 1;
                    next = prefetcher.submit(() -> open(server, following));
                }
                failFast(uploads);
                LayerFile layer = segmentSlice(workDir, segmentation, i, source, provenance);
                int index = i;
                uploads.add(uploader.submit(() -> send(server, index, layer)));
            }
            for (Future<?> f : uploads) {
                f.get();
            }
            state = "publishing";
            server.commitStaged(id);
            for (int i = 0; i < progress.size(); i++) {
                setProgress(i, progress.get(i).published());
            }
            state = "done";
        } catch (CancellationException e) {
            stop(uploader, uploads);
            discard(server);
            markUnfinished("cancelled");
            state = "cancelled";
            message = "cancelled: nothing was published";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(uploader, uploads);
            discard(server);
            markUnfinished("cancelled");
            state = "cancelled";
            message = "interrupted: nothing was published";
        } catch (ExecutionException | RuntimeException | IOException e) {
            stop(uploader, uploads);
            discard(server);
            markUnfinished("failed");
            state = "failed";
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        } finally {
            prefetcher.shutdownNow();
            uploader.shutdownNow();
            finishedAt = System.currentTimeMillis();
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A slice as a tile source at the job's resolution (the level a tissue map reads), with room
     * for the blocks its walk of tiles needs again (each block is fetched once), its pixels fetched
     * ahead when it is small.
     */
    private RemoteSlide open(ServerClient server, int index) {
        RemoteSlide source = new RemoteSlide(server, slices.get(index))
                .level(settings.resolution())
                .sizedForTileWalk(settings.tileSize(), predicting().features().halo(),
                        SlideSegmentation.TILES_IN_FLIGHT_PER_THREAD * settings.threads());
        source.prefetchWhenSmall();
        return source;
    }

    /** What predicts the tiles: a tissue map the overview alone; coarse-to-fine plans with it as it goes. */
    private SegmentationModel predicting() {
        return settings.resolution() > 1 ? model.overviewModel() : model;
    }

    /** A failed upload stops the job before more work is done. */
    private static void failFast(List<Future<?>> uploads) throws ExecutionException, InterruptedException {
        for (Future<?> f : uploads) {
            if (f.isDone()) {
                f.get();
            }
        }
    }

    /**
     * Drops the sends not started and waits for the one in progress to end, without interrupting it:
     * an interrupted request may still reach the server after the job dropped its staging.
     */
    private static void stop(ExecutorService uploader, List<Future<?>> uploads) {
        for (Future<?> f : uploads) {
            f.cancel(false);
        }
        uploader.shutdown();
        try {
            uploader.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LayerFile segmentSlice(Path workDir, SlideSegmentation segmentation, int index, RemoteSlide source,
                                   Map<String, Object> provenance) {
        SliceInfo slice = slices.get(index);
        setProgress(index, progress(index).with(0, "running"));
        long t0 = System.nanoTime();
        LayerFile layer = new LayerFile(workDir.resolve(id + "-" + slice.id() + ".geojson"), source.width(),
                source.downsample(), model.classes(), provenance, settings.cleaning(), slice.micronsPerPixel(),
                settings.omitted());
        try {
            ProgressListener tiles = (done, total) -> setProgress(index, progress(index).with(done, "running"));
            // Always the full resolution's statistics (the overview was trained with them), read
            // window by window: the windows are not read again.
            ChannelStatistics statistics = SlideStatistics.measure(model.features(), source.level(1).forSampling(), settings.threads());
            if (cancellation.isCancelled()) {
                throw new CancellationException("cancelled by the user");
            }
            if (settings.refine()) {
                Refinement plan = CoarseToFine.plan(model, source.level(model.overview().resolution()), slice.width(),
                        slice.height(), statistics, settings.tileSize(), settings.threads(), CoarseToFine.MAX_UNCERTAINTY,
                        cancellation);
                segmentation.predict(source, statistics, plan, layer, tiles, cancellation, null);
            } else {
                // every pixel with the model, or the level with the overview (the job's segmentation)
                segmentation.predict(source, statistics, false, layer, tiles, cancellation);
            }
        } catch (RuntimeException e) {
            layer.close();
            throw e;
        }
        setProgress(index, progress(index).sending((System.nanoTime() - t0) / 1e9));
        return layer;
    }

    /** Stages a slice's polygons on the server (on the upload thread, in slice order). */
    private void send(ServerClient server, int index, LayerFile layer) {
        SliceInfo slice = slices.get(index);
        try (layer) {
            long t1 = System.nanoTime();
            try {
                server.putLayer(slice.id(), settings.layer(), layer.file(), id);
            } catch (ServerException e) {
                throw refused(slice, layer, e);
            }
            double upload = (System.nanoTime() - t1) / 1e9;
            areas.add(slice.name(), slice.width(), slice.height(), Optional.ofNullable(slice.micronsPerPixel()),
                    layer.pixelsPerClass());
            SliceProgress p = progress(index);
            setProgress(index, p.staged(layer.polygons(), p.seconds() + upload, upload));
        }
    }

    /**
     * The server's refusal of a slice's regions, said in the job's terms: a whole slide of nuclei can
     * pass what the server takes into one layer (docs/service.md), and the user can publish less.
     */
    private static ServerException refused(SliceInfo slice, LayerFile layer, ServerException e) {
        if (e.status() != 400 && e.status() != 413) {
            return e; // not about the regions: the server is down, the token expired...
        }
        long bytes = 0;
        try {
            bytes = Files.size(layer.file());
        } catch (IOException ignored) {
            // the size only adds to the message
        }
        return new ServerException(e.status(), String.format(java.util.Locale.ROOT,
                "slice %s: the server refused its %,d regions (%.1f MB of GeoJSON): %s. Fewer or smaller regions fit: "
                        + "leave the background out (\"Regions of\", \"omit\"), raise the minimum area (\"minArea\") or "
                        + "predict a tissue map", slice.name(), layer.polygons(), bytes / 1e6, e.getMessage()));
    }

    private void discard(ServerClient server) {
        try {
            server.discardStaged(id);
        } catch (RuntimeException ignored) {
            // the server is unreachable: what was staged stays invisible, and is dropped on the next start
        }
    }

    private synchronized void markUnfinished(String how) {
        for (int i = 0; i < progress.size(); i++) {
            SliceProgress p = progress.get(i);
            if (!p.state().equals("queued")) {
                progress.set(i, p.with(p.tilesDone(), how));
            }
        }
    }

    private synchronized SliceProgress progress(int index) {
        return progress.get(index);
    }

    private synchronized void setProgress(int index, SliceProgress p) {
        progress.set(index, p);
    }

    /** A snapshot for the page and the API. */
    public synchronized JobView view() {
        long done = 0, total = 0;
        for (SliceProgress p : progress) {
            done += p.tilesDone();
            total += p.tilesTotal();
        }
        double fraction = state.equals("done") ? 1 : total == 0 ? 0 : done / (double) total;
        double seconds = startedAt == 0 ? 0 : ((finishedAt == 0 ? System.currentTimeMillis() : finishedAt) - startedAt) / 1000.0;
        return new JobView(id, state, message, model.id(), ref.name(), ref.version(), settings.layer(),
                ref.trainingSlices(), fraction, seconds, List.copyOf(progress),
                startedAt, finishedAt, caller.username(), caller.projectId(), settings.describe(model));
    }

    /** Restores the view of a job from an earlier run of the service (it cannot resume). */
    static JobView interrupted(JobView was) {
        return new JobView(was.id(), "interrupted", "the service stopped while the job ran: nothing of it was published; run it again",
                was.modelId(), was.modelName(), was.modelVersion(), was.layer(), was.trainingSlices(), was.fraction(),
                was.seconds(), was.slices(), was.startedAt(), was.finishedAt(), was.user(), was.project(), was.prediction());
    }
}
