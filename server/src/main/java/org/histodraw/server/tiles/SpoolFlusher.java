package org.histodraw.server.tiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts uploads on disk while they arrive: every moment, each file the web server is spooling an upload
 * into that grew by at least a step since it was last flushed is flushed. An upload is answered only
 * once it is on disk ({@link IngestJobs#submitUpload}); without this, the system keeps gigabytes of a
 * large upload in memory only (Linux writes back from 10% of memory on), and forcing them out after
 * the last byte took seconds (1.8 s for an 8.6 GB slide on this machine). Flushed as it comes, what
 * is left at the end is the last step, whatever the slide's size.
 */
final class SpoolFlusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolFlusher.class);
    static final long STEP_BYTES = 32L << 20;
    static final Duration EVERY = Duration.ofMillis(200);

    private final Path dir;
    private final long step;
    /** Per spool file, its size when last flushed. */
    private final Map<Path, Long> flushed = new HashMap<>();
    private final ScheduledExecutorService timer;

    /** Flushes the files of {@code dir} every {@code every}; {@code every} null: only when called ({@link #flushGrown}). */
    SpoolFlusher(Path dir, long step, Duration every) {
        this.dir = dir;
        this.step = step;
        if (every == null) {
            this.timer = null;
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "histodraw-upload-flusher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::flushQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void flushQuietly() {
        try {
            flushGrown();
        } catch (RuntimeException e) {
            LOG.warn("could not flush the uploads arriving in {}: {}", dir, e.toString());
        }
    }

    /** Flushes each spool file that grew by at least a step since its last flush; returns those it flushed. */
    synchronized List<Path> flushGrown() {
        List<Path> done = new ArrayList<>();
        Set<Path> present = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path file : files) {
                present.add(file);
                try {
                    long size = Files.size(file);
                    if (size - flushed.getOrDefault(file, 0L) >= step) {
                        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                            channel.force(false);
                        }
                        flushed.put(file, size);
                        done.add(file);
                    }
                } catch (IOException e) {
                    // moved into place or deleted meanwhile: its upload is over
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", dir, e.toString());
        }
        flushed.keySet().retainAll(present);
        return done;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
