package org.histodraw.server.tiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.histodraw.server.store.Broadcast;
import org.histodraw.server.store.IngestJobRecord;
import org.histodraw.server.store.IngestJobStore;
import org.histodraw.server.store.Instances;
import org.histodraw.server.store.NotFound;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.SliceSource;
import org.histodraw.server.store.Slides;
import org.histodraw.slides.io.SlideException;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.SlideLimits;
import org.histodraw.slides.pyramid.DeepZoomPyramid;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.histodraw.slides.view.SlideView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers slides: a file is kept as it is (stored in the data folder, or linked in place for slides
 * on a shared disk) and recorded as a slice at once; tiles are cut from it on request
 * ({@link SlideTiles}). No pyramid is built for files that have random access (tiled TIFF, vendor
 * formats); images without it (PNG, JPEG, TIFF in one strip) get a lossless pyramid of PNG tiles,
 * built on one background worker, so analysis still reads their exact pixels.
 *
 * <p>Checking is done before anything is recorded, from the file's headers and structure
 * ({@link SlideImages#probe}: format, size against the configured {@link SlideLimits}, so bombs are
 * refused before any pixel is decoded; a few tiles of every level read), in well under a second. Images
 * that must be decoded whole are decoded in the request only when small ({@value #CHECK_IN_REQUEST_PIXELS}
 * px or half the size limit, at most {@code checksInFlight} at once); larger ones on the worker. A failure at any step leaves
 * no slice row and no files.
 *
 * <p>Jobs are kept in the database ({@link IngestJobStore}): their outcome answers after a restart.
 * A job belongs to the server instance that made it; when that instance stops or dies, another one
 * (or the same data folder's next server) takes it over and finishes it cleanly: done when its
 * slice was recorded just before, built again from its source, or failed with its folder removed
 * ({@link #takeOverAbandoned}).
 */
public final class IngestJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJobs.class);
    private static final long PROGRESS_WRITE_NANOS = 1_000_000_000L;
    /** A job whose instance died is built again by another at most this many times in all. */
    static final int MAX_ATTEMPTS = 2;
    static final String INTERRUPTED = "interrupted: the server stopped while this slide was being ingested; "
            + "nothing of it was kept, ingest it again";
    /** Whole-decoded images up to this size are decoded in the upload's request, so a broken one answers 422. */
    static final long CHECK_IN_REQUEST_PIXELS = 4L << 20;
    static final String ORIGINAL = "original";
    static final String PYRAMID = "pyramid";
    private static final Set<String> NOT_SLIDES = Set.of("GIF", "BMP", "WBMP");

    private final Slides slides;
    private final IngestJobStore store;
    private final Path slidesDir;
    private final Path uploadsDir;
    private final TileFormat format;
    private final SlideLimits limits;
    private final SlideTiles tiles;
    private final SpoolFlusher spool;
    private final int checksInFlight = Math.max(1, Runtime.getRuntime().availableProcessors());
    private final Semaphore checks = new Semaphore(checksInFlight);
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

    /** Where the web server spools uploads it receives ({@code spoolDir}): flushed as they arrive ({@link SpoolFlusher}). */
    public IngestJobs(Slides slides, IngestJobStore store, Path slidesDir, Path uploadsDir, Path spoolDir, TileFormat format,
                      SlideLimits limits, Broadcast broadcast) {
        this.slides = slides;
        this.store = store;
        this.slidesDir = slidesDir.toAbsolutePath().normalize();
        this.uploadsDir = uploadsDir;
        this.format = format;
        this.limits = limits;
        this.tiles = new SlideTiles(slides, this.slidesDir, limits, broadcast);
        this.spool = new SpoolFlusher(spoolDir, SpoolFlusher.STEP_BYTES, SpoolFlusher.EVERY);
        long every = Instances.HEARTBEAT.toMillis();
        takeOver.scheduleWithFixedDelay(this::takeOverQuietly, every, every, TimeUnit.MILLISECONDS);
        try {
            Files.createDirectories(slidesDir);
            Files.createDirectories(uploadsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folders " + slidesDir + " and " + uploadsDir, e);
        }
        takeOverAbandoned();
        clearUploads();
        clearUnfinishedPyramids();
    }

    /**
     * Puts an upload into the data folder (moved there when the web server spooled it on the same
     * disk), on disk before anything is recorded, checks it (a SlideException otherwise, with nothing
     * kept) and registers it. Returns the job: already done for files read in place, queued for images
     * that get a pyramid. Only the saving depends on the upload's size; the check reads a few tiles.
     *
     * @param micronsPerPixel the pixel size to record, or null to take it from the file when it says
     */
    public IngestJob submitUpload(long seriesId, long projectId, Upload upload, String fileName, String name,
                                  Double position, Double micronsPerPixel) {
        checkPixelSize(micronsPerPixel);
        String key = UUID.randomUUID().toString();
        Path dir = slidesDir.resolve(key);
        Path original = dir.resolve(ORIGINAL + extension(fileName));
        long started = System.nanoTime();
        long saved;
        long synced;
        long bytes;
        try {
            Files.createDirectories(dir);
            upload.saveTo(original);
            bytes = Files.size(original);
            saved = System.nanoTime();
            syncToDisk(original);
            synced = System.nanoTime();
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("could not save the upload: " + e.getMessage(), e);
        }
        try {
            IngestJob job = register(seriesId, projectId, original, false, key, name, position, micronsPerPixel, true,
                    SlideImages.check(original, limits));
            LOG.info("upload {} ({} bytes): saved in {} ms, on disk in {} ms, checked and recorded in {} ms", key,
                    bytes, (saved - started) / 1_000_000, (synced - saved) / 1_000_000,
                    (System.nanoTime() - synced) / 1_000_000);
            return job;
        } catch (RuntimeException | Error e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * Forces a file (or the files of a folder, a DICOM series) kept in the slides folder onto the disk,
     * with the folder entries that name it, so a slice recorded after it (in a database that survives a
     * power cut, PostgreSQL) never names a file that a power cut took.
     */
    private void syncToDisk(Path saved) throws IOException {
        if (Files.isDirectory(saved)) {
            try (Stream<Path> files = Files.list(saved)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    force(f);
                }
            }
        }
        for (Path p = saved; p != null && p.startsWith(slidesDir); p = p.getParent()) {
            force(p);
        }
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(path)) {
                throw e;
            }
            // some systems cannot open a folder to sync it; its file is on disk all the same
        }
    }

    /**
     * Registers an image file the server can read, in the calling thread (the command line's ingest),
     * and returns the new slice: copied into the data folder, or referenced where it is when
     * {@code link} (a slide on a shared disk; multi-file formats such as MIRAX must be linked).
     */
    public Slice ingestNow(long seriesId, Path file, String name, Double position, Double micronsPerPixel, boolean link) {
        checkPixelSize(micronsPerPixel);
        Series series = slides.series(seriesId).orElseThrow(() -> new NotFound("no series " + seriesId));
        SlideImages.Checked checked = SlideImages.check(file, limits);
        SlideImages.Probe probe = checked.probe();
        String key = UUID.randomUUID().toString();
        Path dir = slidesDir.resolve(key);
        try {
            Path source = file.toAbsolutePath().normalize();
            if (!link) {
                List<Path> parts = checked.image().map(SlideImage::files).orElse(List.of(file));
                checked.image().ifPresent(SlideImage::close);
                checked = null;
                if (MULTI_FILE_FORMATS.contains(probe.format())) {
                    throw new SlideException(file, probe.format() + " slides are several files",
                            "register them in place with ingest --link");
                }
                Files.createDirectories(dir);
                if (parts.size() > 1 || Files.isDirectory(file)) {
                    // A DICOM series (a file per level and per associated image): its files, under their own names, in a folder of their own.
                    source = Files.createDirectories(dir.resolve(ORIGINAL));
                    for (Path part : parts) {
                        Files.copy(part, source.resolve(part.getFileName().toString()));
                    }
                } else {
                    source = dir.resolve(ORIGINAL + extension(file.getFileName().toString()));
                    Files.copy(file, source);
                }
                syncToDisk(source);
            }
            IngestJob job;
            try {
                if (checked == null) {
                    checked = SlideImages.check(source, limits); // the copy, opened once more where it now lies
                }
                SlideImages.Checked handed = checked;
                checked = null; // register owns it now
                job = register(seriesId, series.projectId(), source, link, key, name, position, micronsPerPixel, false, handed);
            } catch (SlideException e) {
                throw e.naming(file);
            }
            return slides.slice(job.sliceId()).orElseThrow();
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("could not copy " + file + " into the data folder: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteTree(dir);
            throw e;
        } finally {
            if (checked != null) {
                checked.image().ifPresent(SlideImage::close);
            }
        }
    }

    public Slice ingestNow(long seriesId, Path file, String name, Double position, Double micronsPerPixel) {
        return ingestNow(seriesId, file, name, position, micronsPerPixel, false);
    }

    public Slice ingestNow(long seriesId, Path file, String name, Double position) {
        return ingestNow(seriesId, file, name, position, null, false);
    }

    private static final Set<String> MULTI_FILE_FORMATS = Set.of("MIRAX", "Hamamatsu VMS");

    /**
     * Checks and records a slide kept at {@code source}; takes over the slide {@code checked} holds open
     * (handed to the tile server on success, closed on failure). Files read in place become a slice now; images
     * without random access get a pyramid first: on the worker ({@code background}) or here.
     */
    private IngestJob register(long seriesId, long projectId, Path source, boolean linked, String key, String name,
                               Double position, Double micronsPerPixel, boolean background, SlideImages.Checked checked) {
        SlideImages.Probe probe = checked.probe();
        try {
            checkIngested(source, probe.format());
        } catch (RuntimeException e) {
            checked.image().ifPresent(SlideImage::close);
            throw e;
        }
        long checkHere = Math.min(CHECK_IN_REQUEST_PIXELS, limits.maxPixels() / 2);
        if (probe.decodedWhole() && background && (long) probe.width() * probe.height() <= checkHere) {
            decodeHere(source); // a small broken PNG or JPEG answers 422 now rather than failing its job
        }
        IngestJob job;
        try {
            String file = linked ? source.toString() : slidesDir.relativize(source).toString();
            job = newJob(seriesId, projectId, name, key, new IngestJobStore.Source(file, linked, position, micronsPerPixel));
        } catch (RuntimeException e) {
            checked.image().ifPresent(SlideImage::close);
            throw e;
        }
        if (checked.image().isPresent()) {
            SlideImage image = checked.image().get();
            try {
                String file = linked ? source.toString() : slidesDir.relativize(source).toString();
                List<String> associated = new ArrayList<>(image.associatedImages());
                if (!associated.contains("thumbnail")) {
                    associated.add("thumbnail");
                }
                SliceSource src = new SliceSource(SliceSource.FILE, file, linked, image.format(), image.vendor().orElse(null),
                        image.objectivePower().orElse(null), associated);
                Slice slice = record(job, SlideView.layoutFor(image, format), micronsPerPixel != null ? micronsPerPixel
                        : image.micronsPerPixel().orElse(null), position, src);
                tiles.adopt(slice, image);
                return job;
            } catch (RuntimeException | Error e) {
                image.close();
                fail(job, e, source);
                throw e;
            }
        }
        if (background) {
            worker.execute(() -> {
                try {
                    buildPyramid(job, source, linked, position, micronsPerPixel);
                } catch (RuntimeException | Error e) {
                    // already recorded as failed, its folder removed
                }
            });
        } else {
            buildPyramid(job, source, linked, position, micronsPerPixel);
        }
        return job;
    }

    private void decodeHere(Path source) {
        try {
            checks.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking an upload", e);
        }
        try {
            SlideImages.open(source, limits).close();
        } finally {
            checks.release();
        }
    }

    /** Only slide formats (ImageIO also knows GIF and BMP, which no scanner writes). */
    private static void checkIngested(Path file, String format) {
        if (NOT_SLIDES.contains(format)) {
            throw new SlideException(file, "not a slide format we ingest", format
                    + "; expected PNG, JPEG or TIFF, or a whole-slide format OpenSlide reads (SVS, NDPI, MRXS, SCN, BIF...)");
        }
    }

    /** Builds the lossless pyramid of an image without random access, then records the slice. */
    private Slice buildPyramid(IngestJob job, Path source, boolean linked, Double position, Double micronsPerPixel) {
        Path dir = slidesDir.resolve(job.storageKey());
        try (SlideImage image = SlideImages.open(source, limits)) {
            job.progress(0, "building the lossless tile pyramid");
            long[] lastWrite = {System.nanoTime()};
            Path pyramid = dir.resolve(PYRAMID);
            Files.createDirectories(dir);
            PyramidLayout built = DeepZoomPyramid.build(image, pyramid, DeepZoomPyramid.DEFAULT_TILE_SIZE,
                    DeepZoomPyramid.DEFAULT_OVERLAP, TileFormat.PNG, (done, total) -> {
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
            SliceSource src = new SliceSource(SliceSource.PYRAMID, slidesDir.relativize(pyramid).toString(), false,
                    image.format(), null, null, List.of("thumbnail"));
            PyramidLayout served = new PyramidLayout(built.width(), built.height(), built.tileSize(), built.overlap(), format);
            return record(job, served, micronsPerPixel != null ? micronsPerPixel : image.micronsPerPixel().orElse(null),
                    position, src);
        } catch (IOException e) {
            UncheckedIOException u = new UncheckedIOException("could not write the pyramid: " + e.getMessage(), e);
            fail(job, u, source);
            throw u;
        } catch (RuntimeException | Error e) {
            fail(job, e, source);
            throw e;
        }
    }

    private Slice record(IngestJob job, PyramidLayout layout, Double micronsPerPixel, Double position, SliceSource source) {
        if (!store.claimedBy(job.id(), store.instance())) {
            running.remove(job.id());
            throw new IllegalStateException("another server took this ingest over (this one was taken for dead)");
        }
        Slice slice = slides.addSlice(job.seriesId(), job.name(), position, layout, micronsPerPixel, job.storageKey(), source);
        job.done(slice.id());
        store.done(job.id(), slice.id());
        running.remove(job.id());
        return slice;
    }

    /** Records why a job failed and removes every file it made (never a linked original). */
    private void fail(IngestJob job, Throwable e, Path source) {
        if (!store.claimedBy(job.id(), store.instance())) {
            running.remove(job.id()); // another server took it over: its files are that server's now
            return;
        }
        deleteTree(slidesDir.resolve(job.storageKey()));
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        why = why.replace(source.toString(), "the upload").replace(slidesDir.toString(), "the data folder");
        LOG.warn("ingest of {} failed: {}", job.name(), e.toString());
        job.failed(why);
        running.remove(job.id());
        try {
            store.failed(job.id(), why);
        } catch (RuntimeException storeFailure) {
            e.addSuppressed(storeFailure);
        }
    }

    /** ".svs" from "slide.SVS": the original keeps its extension (OpenSlide recognises some formats by it). */
    static String extension(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        String ext = dot < 0 ? "" : n.substring(dot + 1);
        return ext.matches("[a-z0-9]{1,8}") ? "." + ext : "";
    }

    private IngestJob newJob(long seriesId, long projectId, String name, String key, IngestJobStore.Source source) {
        IngestJobRecord r = store.create(UUID.randomUUID().toString(), seriesId, projectId, name, key, null, source);
        IngestJob job = IngestJob.of(r);
        running.put(job.id(), job);
        return job;
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

    /** Reads the pyramids this ingests (tiles, with their caches). */
    public SlideTiles tiles() {
        return tiles;
    }

    /**
     * Takes over the jobs of stopped or dead instances (at start, and every heartbeat), each for
     * this instance alone ({@link IngestJobStore#claimAbandoned}), and finishes it cleanly: done
     * when its slice was recorded just before the stop; built again from its source when it has
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
        IngestJobStore.Source src = claimed.source();
        Path source = src == null ? null : src.linked() ? Path.of(src.file()) : slidesDir.resolve(src.file()).normalize();
        boolean usable = source != null && (src.linked() || source.startsWith(slidesDir)) && Files.isRegularFile(source);
        if (!usable || claimed.attempts() > MAX_ATTEMPTS) {
            if (r.storageKey().matches("[0-9a-f-]{36}")) {
                deleteTree(slidesDir.resolve(r.storageKey()));
            }
            String why = src == null || !usable ? INTERRUPTED : "failed: the servers running this ingest stopped "
                    + (claimed.attempts() - 1) + " times; nothing of it was kept, ingest it again";
            store.failed(r.id(), why);
            LOG.warn("ingest of {} was interrupted by a stop of the server running it; marked failed", r.name());
            if (r.uploadFile() != null) {
                Path upload = Path.of(r.uploadFile());
                if (upload.startsWith(uploadsDir.toAbsolutePath())) {
                    deleteQuietly(upload);
                }
            }
            return;
        }
        // What the stopped build left (its pyramid, a hidden building folder) goes; the source stays.
        Path dir = slidesDir.resolve(r.storageKey());
        try (Stream<Path> left = Files.list(dir)) {
            left.filter(p -> !p.equals(source)).forEach(IngestJobs::deleteTree);
        } catch (IOException e) {
            LOG.warn("could not clear {}: {}", dir, e.toString());
        }
        IngestJob job = IngestJob.of(r);
        running.put(job.id(), job);
        job.progress(0, "taken over from a stopped server; building again");
        store.progress(job.id(), 0, job.message());
        LOG.info("ingest of {} taken over from a stopped server (attempt {})", r.name(), claimed.attempts());
        worker.execute(() -> {
            try {
                buildPyramid(job, source, src.linked(), src.position(), src.micronsPerPixel());
            } catch (RuntimeException | Error e) {
                // already recorded as failed, its folder removed
            }
        });
    }

    private void clearUploads() {
        try (Stream<Path> left = Files.list(uploadsDir)) {
            left.forEach(IngestJobs::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("could not clear {}: {}", uploadsDir, e.toString());
        }
    }

    /** Hidden folders of pyramids being built when the process stopped (see DeepZoomPyramid#build). */
    private void clearUnfinishedPyramids() {
        try (Stream<Path> left = Files.list(slidesDir)) {
            left.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().contains(".building-"))
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
        spool.close();
        tiles.close();
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
