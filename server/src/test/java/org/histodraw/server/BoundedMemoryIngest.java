package org.histodraw.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;
import org.histodraw.server.tiles.SlideTiles;
import org.histodraw.slides.pyramid.PyramidLayout;

/**
 * Run in its own JVM by {@link BoundedMemoryIngestTest} (and usable by hand): starts a server on a
 * data folder, ingests one image as the CLI does, then cuts tiles from it on 8 threads at once (every
 * tile of the coarse levels, which a file without coarse levels makes from the whole image, and a
 * band of full-resolution tiles), writes tile {@code LEVEL/COLUMN_ROW} to {@code DATA/tile.jpg},
 * prints the slice and the peak heap, exits 0.
 *
 *   java -Xmx96m -cp ... org.histodraw.server.BoundedMemoryIngest DATA IMAGE LEVEL COLUMN ROW
 */
public final class BoundedMemoryIngest {
    private BoundedMemoryIngest() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path image = Path.of(args[1]);
        int level = Integer.parseInt(args[2]), column = Integer.parseInt(args[3]), row = Integer.parseInt(args[4]);
        long t0 = System.nanoTime();
        try (HistoDrawServer server = HistoDrawServer.start(TestServer.config(data))) {
            var b = server.backend();
            long owner = b.accounts().userByName(TestServer.ADMIN).orElseThrow().id();
            Project project = b.projects().create("Memory", "", false, owner);
            Series series = b.slides().createSeries(project.id(), "Big");
            Slice slice = server.ingest(series.id(), image, "big", null);
            double ingest = (System.nanoTime() - t0) / 1e9;
            SlideTiles tiles = b.ingest().tiles();
            PyramidLayout layout = slice.layout();
            List<int[]> wanted = new ArrayList<>();
            for (int l = 0; l <= layout.maxLevel() - 2; l++) {
                for (int c = 0; c < layout.columns(l); c++) {
                    for (int r = 0; r < layout.rows(l); r++) {
                        wanted.add(new int[] {l, c, r});
                    }
                }
            }
            for (int c = 0; c < layout.columns(layout.maxLevel()); c++) {
                wanted.add(new int[] {layout.maxLevel(), c, row});
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            AtomicInteger cut = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int[] t : wanted) {
                futures.add(pool.submit(() -> {
                    tiles.tile(slice, t[0], t[1], t[2]).orElseThrow();
                    cut.incrementAndGet();
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            Files.write(data.resolve("tile.jpg"), tiles.tile(slice, level, column, row).orElseThrow().bytes());
            System.out.printf(Locale.ROOT, "ingested slice %d: %d x %d in %.1f s, then %d tiles cut on 8 threads in %.1f s; heap max %d MiB%n",
                    slice.id(), slice.width(), slice.height(), ingest, cut.get(), (System.nanoTime() - t0) / 1e9 - ingest,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }
}
