package org.histodraw.server.tiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.histodraw.server.store.IngestJobRecord;
import org.histodraw.server.store.IngestJobStore;
import org.histodraw.server.store.Instances;
import org.histodraw.server.store.NotFound;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.Slides;
import org.histodraw.slides.io.SlideException;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.SlideLimits;
import org.histodraw.slides.pyramid.DeepZoomPyramid;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests slide images: checks the file at once (format, corruption, size against the configured
 * {@link SlideLimits}, so decompression bombs are refused before any pixel is decoded, through
 * {@link SlideImages#open}), then builds its pyramid on one background worker and records the slice
 * only when the pyramid is complete. A failure at any step leaves no slice row and no files.
 *
 * <p>Jobs are kept in the database ({@link IngestJobStore}): their outcome answers after a restart,
 * and a job that was running when the server stopped is marked failed at the next start, with its
 * pyramid folder and upload removed (or marked done, when its slice was recorded just before).
 */
public final class IngestJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJobs.class);
    private static final long PROGRESS_WRITE_NANOS = 1_000_000_000L;
    /** A job whose instance died is built again by another at most this many times in all. */
    static final int MAX_ATTEMPTS = 2;
    static final String INTERRUPTED = "interrupted: the server stopped while this slide was being ingested; "
            + "nothing of it was kept, ingest it again";

    private static final java.util.Set<String> INGESTED_FORMATS = java.util.Set.of("PNG", "JPEG", "TIFF");

    private final Slides slides;
    private final IngestJobStore store;
    private final Path slidesDir;
    private final Path uploadsDir;
    private final TileFormat format;
    private final SlideLimits limits;
    private final SlideTiles tiles;
    private final Map<String, IngestJob> running = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "histodraw-ingest");
        t.setDaemon(true);
        return t;
    });
    /** Looks for the jobs of dead instances every heartbeat. */
    private final ScheduledExecutorService takeOver = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "histodraw-ingest-takeover");
        t.setDaemon(true);
        return t;
    });

    public IngestJobs(Slides slides, IngestJobStore store, Path slidesDir, Path uploadsDir, TileFormat format, SlideLimits limits) {
        this.slides = slides;
        this.store = store;
        this.slidesDir = slidesDir;
        this.uploadsDir = uploadsDir;
        this.format = format;
        this.limits = limits;
        this.tiles = new SlideTiles(slides, slidesDir);
        try {
            Files.createDirectories(slidesDir);
            Files.createDirectories(uploadsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folders " + slidesDir + " and " + uploadsDir, e);
        }
        takeOverAbandoned();
        clearUploads();
        clearUnfinishedPyramids();
        long every = Instances.HEARTBEAT.toMillis();
        takeOver.scheduleWithFixedDelay(this::takeOverQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Saves an upload, checks it is a readable image within the limits (a SlideException otherwise,
     * with the upload deleted and no job), and queues its pyramid. Returns the job.
     *
     * @param micronsPerPixel the pixel size to record, or null to take it from the file when it says
     */
    public IngestJob submitUpload(long seriesId, long projectId, InputStream content, String name, Double position,
                                  Double micronsPerPixel) {
        Path upload = uploadsDir.resolve(UUID.randomUUID() + ".upload");
        try {
            Files.copy(content, upload);
        } catch (IOException e) {
            deleteQuietly(upload);
            throw new UncheckedIOException("could not save the upload: " + e.getMessage(), e);
        }
        SlideImage image;
        try {
            image = open(upload);
        } catch (RuntimeException e) {
            deleteQuietly(upload);
            throw e;
        }
        return submit(seriesId, projectId, image, name, position, micronsPerPixel, upload);
    }

    public IngestJob submitUpload(long seriesId, long projectId, InputStream content, String name, Double position) {
        return submitUpload(seriesId, projectId, content, name, position, null);
    }

    /** Queues a pyramid for an image file the server can read; the file is kept. */
    public IngestJob submitFile(long seriesId, long projectId, Path file, String name, Double position, Double micronsPerPixel) {
        return submit(seriesId, projectId, open(file), name, position, micronsPerPixel, null);
    }

    /** Ingests in the calling thread (the command line's ingest) and returns the new slice. */
    public Slice ingestNow(long seriesId, Path file, String name, Double position, Double micronsPerPixel) {
        Series series = slides.series(seriesId).orElseThrow(() -> new NotFound("no series " + seriesId));
        try (SlideImage image = open(file)) {
            IngestJob job = newJob(seriesId, series.projectId(), name, null, position, micronsPerPixel);
            return run(job, image, position, micronsPerPixel, null);
        }
    }

    public Slice ingestNow(long seriesId, Path file, String name, Double position) {
        return ingestNow(seriesId, file, name, position, null);
    }

    /** Opens within the limits; only the formats slides come in (the readers also know GIF and BMP). */
    private SlideImage open(Path file) {
        SlideImage image = SlideImages.open(file, limits);
        if (!INGESTED_FORMATS.contains(image.format())) {
            image.close();
            throw new SlideException(file, "not a slide format we ingest", image.format() + "; expected PNG, JPEG or TIFF");
        }
        return image;
    }

    private IngestJob newJob(long seriesId, long projectId, String name, Path upload, Double position, Double micronsPerPixel) {
        IngestJobStore.Source source = upload == null ? null : new IngestJobStore.Source(upload.toAbsolutePath().toString(), true,
                position, micronsPerPixel);
        IngestJobRecord r = store.create(UUID.randomUUID().toString(), seriesId, projectId, name, UUID.randomUUID().toString(),
                upload == null ? null : upload.toAbsolutePath().toString(), source);
        IngestJob job = IngestJob.of(r);
        running.put(job.id(), job);
        return job;
    }

    private IngestJob submit(long seriesId, long projectId, SlideImage image, String name, Double position,
                             Double micronsPerPixel, Path upload) {
        IngestJob job;
        try {
            checkPixelSize(micronsPerPixel);
            job = newJob(seriesId, projectId, name, upload, position, micronsPerPixel);
        } catch (RuntimeException e) {
            image.close();
            if (upload != null) {
                deleteQuietly(upload);
            }
            throw e;
        }
        worker.execute(() -> {
            try (image) {
                run(job, image, position, micronsPerPixel, upload);
            } catch (RuntimeException | Error e) {
                // already recorded as failed by run()
            }
        });
        return job;
    }

    /** Builds the pyramid and records the slice; on failure records why and removes every file made. */
    private Slice run(IngestJob job, SlideImage image, Double position, Double micronsPerPixel, Path upload) {
        Path dir = slidesDir.resolve(job.storageKey());
        try {
            checkPixelSize(micronsPerPixel);
            job.progress(0, "building the tile pyramid");
            long[] lastWrite = {System.nanoTime()};
            PyramidLayout layout = DeepZoomPyramid.build(image, dir, DeepZoomPyramid.DEFAULT_TILE_SIZE,
                    DeepZoomPyramid.DEFAULT_OVERLAP, format, (done, total) -> {
                        job.progress(0.99 * done / total, "tiles " + done + " of " + total);
                        long now = System.nanoTime();
                        if (now - lastWrite[0] > PROGRESS_WRITE_NANOS) {
                            synchronized (lastWrite) {
                                if (now - lastWrite[0] > PROGRESS_WRITE_NANOS) {
                                    lastWrite[0] = now;
                                    store.progress(job.id(), job.progress(), job.message());
                                }
                            }
                        }
                    });
            Double pixelSize = micronsPerPixel != null ? micronsPerPixel : image.micronsPerPixel().orElse(null);
            if (!store.claimedBy(job.id(), store.instance())) {
                throw new TakenOver();
            }
            Slice slice = slides.addSlice(job.seriesId(), job.name(), position, layout, pixelSize, job.storageKey());
            job.done(slice.id());
            store.done(job.id(), slice.id());
            return slice;
        } catch (TakenOver e) {
            upload = null; // the new owner reads it
            throw e;
        } catch (RuntimeException | Error e) {
            if (!stillOurs(job)) {
                upload = null; // another instance took this job over (this one was taken for dead): its files are its own now
                throw e;
            }
            deleteTree(dir);
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (upload != null) {
                why = why.replace(upload.toString(), "the upload").replace(upload.toAbsolutePath().toString(), "the upload");
            }
            LOG.warn("ingest of {} failed: {}", job.name(), e.toString());
            job.failed(why);
            try {
                store.failed(job.id(), why);
            } catch (RuntimeException storeFailure) {
                e.addSuppressed(storeFailure);
            }
            throw e;
        } finally {
            running.remove(job.id());
            if (upload != null) {
                deleteQuietly(upload);
            }
        }
    }

    /** Whether this instance still owns the job (true when the database cannot say: then nobody else could take it). */
    private boolean stillOurs(IngestJob job) {
        try {
            return store.claimedBy(job.id(), store.instance());
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** This instance was taken for dead and another one took its job over: it leaves the job alone. */
    private static final class TakenOver extends RuntimeException {
        TakenOver() {
            super("another server took this ingest over (this one was taken for dead)", null, false, false);
        }
    }

    private static void checkPixelSize(Double micronsPerPixel) {
        if (micronsPerPixel != null && !(micronsPerPixel > 0 && micronsPerPixel < 1e6)) {
            throw new IllegalArgumentException("pixel size must be a positive number of microns: " + micronsPerPixel);
        }
    }

    /** A running job from memory, else a finished one from the database. */
    public Optional<IngestJob> job(String id) {
        IngestJob live = running.get(id);
        if (live != null) {
            return Optional.of(live);
        }
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            return Optional.empty();
        }
        return store.job(id).map(IngestJob::of);
    }

    /** The folder of a slice's pyramid. */
    public Path pyramidDir(Slice slice) {
        return tiles.pyramidDir(slice);
    }

    /** Reads the pyramids this ingests (tiles, with their caches). */
    public SlideTiles tiles() {
        return tiles;
    }

    /**
     * Takes over the jobs of stopped or dead instances (at start, and every heartbeat), each for
     * this instance alone ({@link IngestJobStore#claimAbandoned}), and finishes it cleanly: done
     * when its slice was recorded just before the stop; built again from its upload when it has
     * one and fewer than {@value #MAX_ATTEMPTS} instances tried; else failed, its files removed.
     */
    private void takeOverAbandoned() {
        for (Optional<IngestJobStore.Claimed> c = store.claimAbandoned(); c.isPresent(); c = store.claimAbandoned()) {
            resume(c.get());
        }
    }

    private void takeOverQuietly() {
        try {
            takeOverAbandoned();
        } catch (RuntimeException e) {
            LOG.warn("could not look for the ingest jobs of stopped servers: {}", e.toString());
        }
    }

    private void resume(IngestJobStore.Claimed claimed) {
        IngestJobRecord r = claimed.job();
        Optional<Long> slice = store.sliceWithStorageKey(r.storageKey());
        if (slice.isPresent()) {
            store.done(r.id(), slice.get());
            return;
        }
        if (r.storageKey().matches("[0-9a-f-]{36}")) {
            deleteTree(slidesDir.resolve(r.storageKey()));
        }
        Path upload = claimed.source() == null ? null : Path.of(claimed.source().file());
        boolean usable = upload != null && upload.startsWith(uploadsDir.toAbsolutePath()) && Files.isRegularFile(upload);
        if (usable && claimed.attempts() <= MAX_ATTEMPTS) {
            try {
                SlideImage image = open(upload);
                IngestJob job = IngestJob.of(r);
                running.put(job.id(), job);
                job.progress(0, "taken over from a stopped server; building again");
                store.progress(job.id(), 0, job.message());
                LOG.info("ingest of {} taken over from a stopped server (attempt {})", r.name(), claimed.attempts());
                worker.execute(() -> {
                    try (image) {
                        run(job, image, claimed.source().position(), claimed.source().micronsPerPixel(), upload);
                    } catch (RuntimeException | Error e) {
                        // already recorded as failed by run()
                    }
                });
                return;
            } catch (RuntimeException e) {
                LOG.warn("could not take over the ingest of {}: {}", r.name(), e.toString());
            }
        }
        store.failed(r.id(), claimed.source() == null || !usable ? INTERRUPTED : "failed: the servers running this ingest stopped "
                + (claimed.attempts() - 1) + " times; nothing of it was kept, ingest it again");
        LOG.warn("ingest of {} was interrupted by a stop of the server running it; marked failed", r.name());
        if (r.uploadFile() != null && Path.of(r.uploadFile()).startsWith(uploadsDir.toAbsolutePath())) {
            deleteQuietly(Path.of(r.uploadFile()));
        }
    }

    /**
     * Uploads no running job reads and that nobody wrote to for an hour (another instance may be
     * receiving one right now: its job does not exist yet).
     */
    private void clearUploads() {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (IngestJobRecord r : store.running()) {
            if (r.uploadFile() != null) {
                wanted.add(r.uploadFile());
            }
        }
        long before = System.currentTimeMillis() - 3_600_000L;
        try (Stream<Path> left = Files.list(uploadsDir)) {
            left.filter(p -> !wanted.contains(p.toAbsolutePath().toString()) && modifiedBefore(p, before))
                    .forEach(IngestJobs::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("could not clear {}: {}", uploadsDir, e.toString());
        }
    }

    private static boolean modifiedBefore(Path p, long millis) {
        try {
            return Files.getLastModifiedTime(p).toMillis() < millis;
        } catch (IOException e) {
            return false;
        }
    }

    /** Hidden folders of pyramids being built when the process stopped (see DeepZoomPyramid#build). */
    private void clearUnfinishedPyramids() {
        java.util.Set<String> building = new java.util.HashSet<>();
        for (IngestJobRecord r : store.running()) {
            building.add("." + r.storageKey() + ".building-");
        }
        try (Stream<Path> left = Files.list(slidesDir)) {
            left.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().contains(".building-"))
                    .filter(p -> building.stream().noneMatch(b -> p.getFileName().toString().startsWith(b)))
                    .forEach(IngestJobs::deleteTree);
        } catch (IOException e) {
            LOG.warn("could not clear {}: {}", slidesDir, e.toString());
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", p, e.toString());
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(IngestJobs::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        takeOver.shutdownNow();
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
