package org.histodraw.slides.pyramid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Builds one level of a pyramid from its rows, given top to bottom as packed 0xRRGGBB pixels, and
 * feeds the next smaller level with rows averaged 2 x 2. Holds only the rows the current tile row
 * needs (tile size + 2 x overlap), so a whole level never sits in memory.
 */
final class LevelBuilder {
    private final PyramidLayout layout;
    private final int level;
    private final int width;
    private final int height;
    private final Path levelDir;
    private final LevelBuilder smaller;
    private final ProgressListener progress;
    private final AtomicLong tilesDone;
    private final long tilesTotal;
    private final ArrayDeque<int[]> window = new ArrayDeque<>();
    private int windowStart;
    private int received;
    private int nextTileRow;
    private int[] evenRow;

    LevelBuilder(PyramidLayout layout, int level, Path filesDir, LevelBuilder smaller,
                 ProgressListener progress, AtomicLong tilesDone) {
        this.layout = layout;
        this.level = level;
        this.width = layout.levelWidth(level);
        this.height = layout.levelHeight(level);
        this.levelDir = filesDir.resolve(Integer.toString(level));
        this.smaller = smaller;
        this.progress = progress;
        this.tilesDone = tilesDone;
        this.tilesTotal = layout.tileCount();
        try {
            Files.createDirectories(levelDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + levelDir, e);
        }
    }

    void accept(int[] row) {
        if (row.length != width) {
            throw new IllegalArgumentException("level " + level + " rows hold " + width + " pixels, got " + row.length);
        }
        if (received == height) {
            throw new IllegalStateException("level " + level + " already has its " + height + " rows");
        }
        window.addLast(row);
        received++;
        if (smaller != null) {
            if (evenRow == null) {
                evenRow = row;
            } else {
                smaller.accept(halve(evenRow, row));
                evenRow = null;
            }
        }
        while (nextTileRow < layout.rows(level)
                && received >= Math.min(height, (nextTileRow + 1) * layout.tileSize() + layout.overlap())) {
            writeTileRow(nextTileRow++);
            int keepFrom = nextTileRow * layout.tileSize() - layout.overlap();
            while (windowStart < keepFrom && !window.isEmpty()) {
                window.removeFirst();
                windowStart++;
            }
        }
    }

    /** Passes on the last odd row and finishes the smaller levels. */
    void finish() {
        if (received != height) {
            throw new IllegalStateException("level " + level + " got " + received + " of " + height + " rows");
        }
        if (smaller != null) {
            if (evenRow != null) {
                smaller.accept(halve(evenRow, null));
                evenRow = null;
            }
            smaller.finish();
        }
    }

    private void writeTileRow(int row) {
        IntStream.range(0, layout.columns(level)).parallel().forEach(column -> {
            PixelRegion r = layout.tileRegion(level, column, row);
            int[] pixels = new int[r.width() * r.height()];
            Iterator<int[]> rows = window.iterator();
            for (int skip = r.y() - windowStart; skip > 0; skip--) {
                rows.next();
            }
            for (int y = 0; y < r.height(); y++) {
                System.arraycopy(rows.next(), r.x(), pixels, y * r.width(), r.width());
            }
            byte[] bytes = TileEncoder.encode(TileEncoder.rgbImage(r.width(), r.height(), pixels), layout.format());
            Path file = levelDir.resolve(column + "_" + row + "." + layout.format().extension());
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write tile " + file, e);
            }
            progress.progress(tilesDone.incrementAndGet(), tilesTotal);
        });
    }

    /** One row of the level below: the mean of 2 x 2 pixels (fewer at the right and bottom edges). */
    static int[] halve(int[] upper, int[] lower) {
        int w = upper.length;
        int[] out = new int[(w + 1) / 2];
        for (int i = 0; i < out.length; i++) {
            int x = 2 * i;
            int n = 0, r = 0, g = 0, b = 0;
            for (int dx = 0; dx < 2 && x + dx < w; dx++) {
                int p = upper[x + dx];
                r += (p >>> 16) & 0xff;
                g += (p >>> 8) & 0xff;
                b += p & 0xff;
                n++;
                if (lower != null) {
                    int q = lower[x + dx];
                    r += (q >>> 16) & 0xff;
                    g += (q >>> 8) & 0xff;
                    b += q & 0xff;
                    n++;
                }
            }
            int half = n / 2;
            out[i] = ((r + half) / n) << 16 | ((g + half) / n) << 8 | ((b + half) / n);
        }
        return out;
    }
}
