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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.Slides;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pyramid.DeepZoomPyramid;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests slide images: checks the file at once (format, corruption, decompression bombs, through
 * {@link SlideImages#open}), then builds its pyramid on one background worker and records the
 * slice only when the pyramid is complete. A failure at any step leaves no slice row and no files.
 */
public final class IngestJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJobs.class);

    private final Slides slides;
    private final Path slidesDir;
    private final Path uploadsDir;
    private final TileFormat format;
    private final SlideTiles tiles;
    private final Map<String, IngestJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "histodraw-ingest");
        t.setDaemon(true);
        return t;
    });

    public IngestJobs(Slides slides, Path slidesDir, Path uploadsDir, TileFormat format) {
        this.slides = slides;
        this.slidesDir = slidesDir;
        this.uploadsDir = uploadsDir;
        this.format = format;
        this.tiles = new SlideTiles(slides, slidesDir);
        try {
            Files.createDirectories(slidesDir);
            Files.createDirectories(uploadsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folders " + slidesDir + " and " + uploadsDir, e);
        }
        clearUploads();
    }

    /**
     * Saves an upload, checks it is a readable image (a SlideException otherwise, with the upload
     * deleted), and queues its pyramid. Returns the job.
     */
    public IngestJob submitUpload(long seriesId, long projectId, InputStream content, String name, Double position) {
        Path upload = uploadsDir.resolve(UUID.randomUUID() + ".upload");
        try {
            Files.copy(content, upload);
        } catch (IOException e) {
            deleteQuietly(upload);
            throw new UncheckedIOException("could not save the upload: " + e.getMessage(), e);
        }
        SlideImage image;
        try {
            image = SlideImages.open(upload);
        } catch (RuntimeException e) {
            deleteQuietly(upload);
            throw e;
        }
        return submit(seriesId, projectId, image, name, position, upload);
    }

    /** Queues a pyramid for an image file the server can read (the CLI's ingest); the file is kept. */
    public IngestJob submitFile(long seriesId, long projectId, Path file, String name, Double position) {
        return submit(seriesId, projectId, SlideImages.open(file), name, position, null);
    }

    /** Ingests in the calling thread and returns the new slice. */
    public Slice ingestNow(long seriesId, Path file, String name, Double position) {
        try (SlideImage image = SlideImages.open(file)) {
            return ingest(seriesId, image, name, position, new IngestJob("direct", seriesId, -1));
        }
    }

    private IngestJob submit(long seriesId, long projectId, SlideImage image, String name, Double position, Path upload) {
        IngestJob job = new IngestJob(UUID.randomUUID().toString(), seriesId, projectId);
        jobs.put(job.id(), job);
        worker.execute(() -> {
            try (image) {
                Slice slice = ingest(seriesId, image, name, position, job);
                job.done(slice.id());
            } catch (RuntimeException | Error e) {
                LOG.warn("ingest of {} failed: {}", name, e.toString());
                job.failed(e.getMessage() == null ? e.toString() : e.getMessage());
            } finally {
                if (upload != null) {
                    deleteQuietly(upload);
                }
            }
        });
        return job;
    }

    private Slice ingest(long seriesId, SlideImage image, String name, Double position, IngestJob job) {
        String key = UUID.randomUUID().toString();
        Path dir = slidesDir.resolve(key);
        job.progress(0, "building the tile pyramid");
        PyramidLayout layout = DeepZoomPyramid.build(image, dir, DeepZoomPyramid.DEFAULT_TILE_SIZE,
                DeepZoomPyramid.DEFAULT_OVERLAP, format,
                (done, total) -> job.progress(0.99 * done / total, "tiles " + done + " of " + total));
        try {
            return slides.addSlice(seriesId, name, position, layout, image.micronsPerPixel().orElse(null), key);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    public Optional<IngestJob> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The folder of a slice's pyramid. */
    public Path pyramidDir(Slice slice) {
        return tiles.pyramidDir(slice);
    }

    /** Reads the pyramids this ingests (tiles, with their caches). */
    public SlideTiles tiles() {
        return tiles;
    }

    private void clearUploads() {
        try (Stream<Path> left = Files.list(uploadsDir)) {
            left.forEach(IngestJobs::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("could not clear {}: {}", uploadsDir, e.toString());
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
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
