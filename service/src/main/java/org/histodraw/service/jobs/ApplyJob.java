package org.histodraw.service.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TileGrid;
import org.histodraw.service.client.ServerClient;
import org.histodraw.service.client.SliceInfo;
import org.histodraw.service.models.ModelRef;
import org.histodraw.service.slides.RemoteSlide;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pipeline.ClassAreas;
import org.histodraw.slides.pipeline.SlideSegmentation;

/**
 * Applies a model to slices of the server: each slice is predicted tile by tile on the job's
 * threads, traced into polygons and staged on the server under the job's id; when every slice is
 * done the job publishes them all at once (so a job that dies half-way leaves nothing visible),
 * replacing its layer's previous content. Human regions live in another layer and are never touched.
 */
public final class ApplyJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
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

    ApplyJob(String id, SegmentationModel model, ModelRef ref, List<SliceInfo> slices, JobSettings settings) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("no slices to segment: choose a series or a range with slices");
        }
        this.id = id;
        this.model = model;
        this.ref = ref;
        this.slices = List.copyOf(slices);
        this.settings = settings;
        this.areas = new ClassAreas(model.classes());
        for (SliceInfo s : slices) {
            long tiles = TileGrid.of(s.width(), s.height(), settings.tileSize()).tileCount();
            progress.add(new SliceProgress(s.id(), s.name(), 0, tiles, "queued", 0, 0, 0));
        }
    }

    public String id() {
        return id;
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
    String provenance() {
        ObjectNode p = JSON.createObjectNode();
        p.put("service", settings.serviceName());
        p.put("model", model.id());
        p.put("modelId", model.id());
        p.put("modelName", ref.name());
        p.put("modelVersion", ref.version());
        var training = p.putArray("trainingSlices");
        ref.trainingSlices().forEach(training::add);
        p.put("job", id);
        p.put("jobId", id);
        return p.toString();
    }

    /** Runs the job to its end on the calling thread (the service runs one job at a time). */
    void run(ServerClient server, Path workDir) {
        if (cancellation.isCancelled()) {
            state = "cancelled";
            return;
        }
        state = "running";
        startedAt = System.currentTimeMillis();
        String provenance = provenance();
        try (SlideSegmentation segmentation = new SlideSegmentation(model, settings.tileSize(), settings.threads())) {
            Files.createDirectories(workDir);
            for (int i = 0; i < slices.size(); i++) {
                if (cancellation.isCancelled()) {
                    throw new CancellationException("cancelled by the user");
                }
                segmentSlice(server, workDir, segmentation, i, provenance);
            }
            state = "publishing";
            server.commitStaged(id);
            state = "done";
        } catch (CancellationException e) {
            discard(server);
            markUnfinished("cancelled");
            state = "cancelled";
            message = "cancelled: nothing was published";
        } catch (RuntimeException | java.io.IOException e) {
            discard(server);
            markUnfinished("failed");
            state = "failed";
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } finally {
            finishedAt = System.currentTimeMillis();
        }
    }

    private void segmentSlice(ServerClient server, Path workDir, SlideSegmentation segmentation, int index,
                              String provenance) {
        SliceInfo slice = slices.get(index);
        setProgress(index, progress(index).with(0, "running"));
        long t0 = System.nanoTime();
        RemoteSlide source = new RemoteSlide(server, slice, Math.max(8, 4 * settings.threads()
                + 2 * (settings.tileSize() / 256 + 1)));
        try (LayerFile layer = new LayerFile(workDir.resolve(id + "-" + slice.id() + ".geojson"), slice.width(),
                model.classes(), provenance, settings.simplify(), settings.minArea())) {
            segmentation.predict(source, false, layer, (done, total) -> setProgress(index, progress(index).with(done, "running")),
                    cancellation);
            long t1 = System.nanoTime();
            server.putLayer(slice.id(), settings.layer(), layer.file(), id);
            long t2 = System.nanoTime();
            areas.add(slice.name(), slice.width(), slice.height(), Optional.ofNullable(slice.micronsPerPixel()),
                    layer.pixelsPerClass());
            setProgress(index, progress(index).staged(layer.polygons(), (System.nanoTime() - t0) / 1e9, (t2 - t1) / 1e9));
        }
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
                startedAt, finishedAt);
    }

    /** Restores the view of a job from an earlier run of the service (it cannot resume). */
    static JobView interrupted(JobView was) {
        return new JobView(was.id(), "interrupted", "the service stopped while the job ran: nothing of it was published; run it again",
                was.modelId(), was.modelName(), was.modelVersion(), was.layer(), was.trainingSlices(), was.fraction(),
                was.seconds(), was.slices(), was.startedAt(), was.finishedAt());
    }
}
