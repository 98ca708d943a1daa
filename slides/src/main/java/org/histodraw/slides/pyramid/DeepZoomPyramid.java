package org.histodraw.slides.pyramid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * Writes and opens Deep Zoom pyramids on disk: {@code slide.dzi} beside
 * {@code slide_files/{level}/{column}_{row}.{jpg|png}}.
 *
 * <p>{@link #build} streams: it reads the source in bands one tile row high (and at most
 * {@value #READ_WIDTH} pixels wide per read), writes the full-resolution level, and makes every
 * smaller level from the one above by 2 x 2 averaging while the rows go by. Memory is about
 * (tile size + 2 x overlap) x image width x 4 bytes x 2, whatever the image height. Tiles of one
 * tile row are encoded in parallel.
 *
 * <p>All or nothing: the pyramid is written into a hidden sibling folder and moved into place in one
 * step when complete; on any failure the partial folder is deleted and {@code outDir} never exists.
 */
public final class DeepZoomPyramid {
    public static final String DESCRIPTOR = "slide.dzi";
    public static final String FILES = "slide_files";
    public static final int DEFAULT_TILE_SIZE = 254;
    public static final int DEFAULT_OVERLAP = 1;
    static final int READ_WIDTH = 4096;

    private DeepZoomPyramid() {
    }

    /** Builds with the default tile size (254) and overlap (1). */
    public static PyramidLayout build(TileSource source, Path outDir, TileFormat format, ProgressListener progress) {
        return build(source, outDir, DEFAULT_TILE_SIZE, DEFAULT_OVERLAP, format, progress);
    }

    public static PyramidLayout build(TileSource source, Path outDir, int tileSize, int overlap, TileFormat format,
                                      ProgressListener progress) {
        PyramidLayout layout = new PyramidLayout(source.width(), source.height(), tileSize, overlap, format);
        Path target = outDir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new IllegalArgumentException("pyramid folder already exists: " + target);
        }
        Path parent = target.getParent();
        Path temp = parent.resolve("." + target.getFileName() + ".building-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp);
            write(source, layout, temp, progress == null ? ProgressListener.NONE : progress);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target);
            }
            return layout;
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(temp);
            throw new IllegalArgumentException("pyramid folder already exists: " + target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("could not write the pyramid " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** The layout of a pyramid written by {@link #build}. */
    public static PyramidLayout open(Path dir) {
        try {
            return PyramidLayout.parseDzi(Files.readString(dir.resolve(DESCRIPTOR), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("no readable pyramid in " + dir, e);
        }
    }

    /** Where one tile lives (whether or not it exists); level, column and row are checked against the layout. */
    public static Path tileFile(Path dir, PyramidLayout layout, int level, int column, int row) {
        if (!layout.hasTile(level, column, row)) {
            throw new IllegalArgumentException("no tile " + column + "_" + row + " at level " + level);
        }
        return dir.resolve(FILES).resolve(Integer.toString(level))
                .resolve(column + "_" + row + "." + layout.format().extension());
    }

    private static void write(TileSource source, PyramidLayout layout, Path dir, ProgressListener progress) throws IOException {
        Path files = dir.resolve(FILES);
        AtomicLong done = new AtomicLong();
        LevelBuilder chain = null;
        for (int level = 0; level <= layout.maxLevel(); level++) {
            chain = new LevelBuilder(layout, level, files, chain, progress, done);
        }
        int width = layout.width();
        for (int y = 0; y < layout.height(); y += layout.tileSize()) {
            int h = Math.min(layout.tileSize(), layout.height() - y);
            int[][] rows = new int[h][width];
            for (int x = 0; x < width; x += READ_WIDTH) {
                int w = Math.min(READ_WIDTH, width - x);
                Raster band = source.read(new PixelRegion(x, y, w, h));
                pack(band, rows, x);
            }
            for (int[] row : rows) {
                chain.accept(row);
            }
        }
        chain.finish();
        Files.writeString(dir.resolve(DESCRIPTOR), layout.toDzi(), StandardCharsets.UTF_8);
    }

    private static void pack(Raster rgb, int[][] rows, int x0) {
        float[] r = rgb.plane(0), g = rgb.plane(1), b = rgb.plane(2);
        int w = rgb.width();
        for (int y = 0; y < rgb.height(); y++) {
            int[] row = rows[y];
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                row[x0 + x] = byteOf(r[i]) << 16 | byteOf(g[i]) << 8 | byteOf(b[i]);
            }
        }
    }

    private static int byteOf(float v) {
        int q = Math.round(v * 255f);
        return q < 0 ? 0 : Math.min(q, 255);
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden folder is harmless and named as such
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
