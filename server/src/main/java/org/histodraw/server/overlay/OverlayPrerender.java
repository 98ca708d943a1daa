package org.histodraw.server.overlay;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.Slides;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coarse overlay tiles of large layers ({@link CoarseLevels}), drawn ahead of the first view:
 * in the background after every commit that changes a layer of at least {@value #LARGE_LAYER}
 * regions, and at start for such layers whose tiles are not on disk yet. They are kept on disk
 * under {@code overlays/{slice}/layer-{name}/{seq}/{level}/{col}_{row}.png}, one directory per layer
 * version (written whole, then renamed into place; older versions are deleted).
 *
 * <p>With several instances on one data folder, the instance that made a commit draws its layer
 * ahead (the others hear of commits through notices, not as listeners); tiles are written into a
 * folder of the drawing instance's own and renamed into place, the first rename wins, so two
 * instances drawing the same version (both starting up, or serving a tile before it was drawn)
 * never mix their files.
 *
 * <p>A tile asked for before its layer's job has run draws the levels at once in the request (or
 * waits for the job already drawing them) and is cut from the pictures: never a second pass over
 * the layer for the same version.
 */
public final class OverlayPrerender implements AutoCloseable {
    /** Layers from this many regions are drawn ahead (the viewer draws them as tiles from 2,000). */
    public static final int LARGE_LAYER = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(OverlayPrerender.class);

    private final Regions regions;
    private final Slides slides;
    private final Projects projects;
    private final Path root;
    private final ThreadPoolExecutor worker;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One layer version's drawing: run by whoever comes first, the worker or a tile request. */
    private final class Job {
        final Slice slice;
        final String layer;
        final long seq;
        final CompletableFuture<Map<Integer, BufferedImage>> drawn = new CompletableFuture<>();
        final AtomicBoolean started = new AtomicBoolean();

        Job(Slice slice, String layer, long seq) {
            this.slice = slice;
            this.layer = layer;
            this.seq = seq;
        }

        void draw() {
            if (!started.compareAndSet(false, true)) {
                return;
            }
            try {
                long t0 = System.nanoTime();
                drawn.complete(CoarseLevels.draw(regions, slice, layer, new ClassColours(projects.ontology(slice.projectId()))));
                LOG.debug("overlay of slice {} layer {} seq {}: coarse levels drawn in {} ms", slice.id(), layer, seq,
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (RuntimeException | Error e) {
                drawn.completeExceptionally(e);
            }
        }
    }

    public OverlayPrerender(Regions regions, Slides slides, Projects projects, Path root) {
        this.regions = regions;
        this.slides = slides;
        this.projects = projects;
        this.root = root;
        // One thread at low priority: drawing ahead must not slow down the requests of the moment.
        this.worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "overlay-prerender");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        worker.allowCoreThreadTimeOut(true);
        regions.listener(this::committed);
    }

    /** At start: queues the large layers whose current version has no tiles on disk (looked up on the worker). */
    public void catchUp() {
        submit(() -> {
            for (RegionQueries.LayerCount l : regions.queries().largeLayers(LARGE_LAYER)) {
                slides.slice(l.sliceId()).ifPresent(s -> {
                    long seq = regions.queries().layerSeq(s.id(), l.layer());
                    if (seq > 0 && !closed && !Files.isDirectory(dir(s.id(), l.layer(), seq))) {
                        schedule(s, l.layer(), seq);
                    }
                });
            }
        });
    }

    private void committed(Commit commit) {
        Set<String> layers = new HashSet<>();
        if (commit.replacedLayer() != null) {
            layers.add(commit.replacedLayer());
        }
        commit.changes().forEach(c -> layers.add(c.layer()));
        layers.remove("human");
        if (layers.isEmpty() || closed) {
            return;
        }
        // Counting and drawing run on the worker: the committing thread holds the slice's lock.
        submit(() -> {
            Slice slice = slides.slice(commit.sliceId()).orElse(null);
            if (slice == null || closed) {
                return;
            }
            for (Map<String, Object> l : regions.queries().layers(slice.id())) {
                String name = (String) l.get("name");
                if (layers.contains(name) && ((Number) l.get("count")).intValue() >= LARGE_LAYER) {
                    long seq = regions.queries().layerSeq(slice.id(), name);
                    if (!Files.isDirectory(dir(slice.id(), name, seq))) {
                        runOnWorker(job(slice, name, seq));
                    }
                }
            }
        });
    }

    /** Queues work for the worker; nothing once closed (a commit must not fail because the server is stopping). */
    private void submit(Runnable work) {
        if (closed) {
            return;
        }
        try {
            worker.execute(work);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void schedule(Slice slice, String layer, long seq) {
        Job job = job(slice, layer, seq);
        submit(() -> runOnWorker(job));
    }

    private void runOnWorker(Job job) {
        if (closed) {
            return;
        }
        try {
            job.draw();
            persist(job, job.drawn.join());
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("drawing the overlay of slice {} layer {} ahead failed: {}", job.slice.id(), job.layer, e.toString());
            }
        } finally {
            jobs.remove(key(job.slice.id(), job.layer, job.seq), job);
        }
    }

    private Job job(Slice slice, String layer, long seq) {
        return jobs.computeIfAbsent(key(slice.id(), layer, seq), k -> new Job(slice, layer, seq));
    }

    private static String key(long slice, String layer, long seq) {
        return slice + "/" + layer + "/" + seq;
    }

    /** Whether a tile of this level comes from here (a coarse level) rather than from a viewport query. */
    static boolean covers(PyramidLayout layout, int level) {
        return level <= CoarseLevels.finest(layout);
    }

    /** A coarse tile as PNG: from disk, else cut from the layer version's pictures (drawn now when needed). */
    byte[] tile(Slice slice, String layer, long seq, int level, int column, int row) {
        Path file = dir(slice.id(), layer, seq).resolve(level + "/" + column + "_" + row + ".png");
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            // not drawn ahead (yet)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Job job = job(slice, layer, seq);
        job.draw();
        Map<Integer, BufferedImage> levels;
        try {
            levels = job.drawn.join();
        } catch (CompletionException e) {
            jobs.remove(key(slice.id(), layer, seq), job); // the next request tries again
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        if (closed) {
            jobs.remove(key(slice.id(), layer, seq), job);
        } else if (!Files.isDirectory(dir(slice.id(), layer, seq))) {
            submit(() -> runOnWorker(job)); // writes the pictures' tiles; the drawing is done
        }
        return CoarseLevels.tile(OverlayTiles.layout(slice), levels.get(level), level, column, row);
    }

    private Path dir(long slice, String layer, long seq) {
        // "layer-" keeps names such as ".." from meaning anything to the file system.
        return root.resolve(Long.toString(slice)).resolve("layer-" + layer).resolve(Long.toString(seq));
    }

    /** Writes every coarse tile of a drawn layer version, then drops the layer's older versions. */
    private void persist(Job job, Map<Integer, BufferedImage> levels) {
        Path dir = dir(job.slice.id(), job.layer, job.seq);
        if (Files.isDirectory(dir) || levels.isEmpty()) {
            return;
        }
        PyramidLayout layout = OverlayTiles.layout(job.slice);
        // A folder of this instance's own: several instances on one data folder may draw the same version.
        Path tmp = dir.resolveSibling(job.seq + ".tmp-" + UUID.randomUUID());
        try {
            deleteTree(tmp);
            for (Map.Entry<Integer, BufferedImage> e : levels.entrySet()) {
                int level = e.getKey();
                Path levelDir = Files.createDirectories(tmp.resolve(Integer.toString(level)));
                for (int row = 0; row < layout.rows(level); row++) {
                    for (int column = 0; column < layout.columns(level); column++) {
                        if (closed) {
                            deleteTree(tmp);
                            return;
                        }
                        Files.write(levelDir.resolve(column + "_" + row + ".png"), CoarseLevels.tile(layout, e.getValue(), level, column, row));
                    }
                }
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                deleteTree(tmp); // another instance put the same tiles in place first
                return;
            }
            try (Stream<Path> versions = Files.list(dir.getParent())) {
                // Another instance's folder being written is left alone; one a crash left for an hour goes.
                long stale = System.currentTimeMillis() - 3_600_000L;
                for (Path old : versions.filter(p -> !p.equals(dir) && (!p.getFileName().toString().contains(".tmp-")
                        || modifiedBefore(p, stale))).toList()) {
                    deleteTree(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean modifiedBefore(Path p, long millis) {
        try {
            return Files.getLastModifiedTime(p).toMillis() < millis;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Stops drawing ahead and waits (briefly) for the job in progress to stop writing. */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
