package org.histodraw.slides.io;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import org.histodraw.engine.geojson.GeoJsonWriter;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.HoleSpill;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.engine.vector.PolygonSimplifier;
import org.histodraw.engine.vector.Ring;

/**
 * The holes of large open regions in a temporary file beside the results, so that tracing a slide
 * whose tissue surrounds 700,000 nuclei keeps only the current rows in memory. When such a region
 * closes it is cleaned as {@link PolygonCleaning#before} cleans every other region (holes under the
 * minimum filled, the region dropped when what remains is under the minimum area, outlines
 * simplified) and written as one feature, its holes read back from the file one part at a time.
 *
 * <p>File layout: parts appended as regions hand holes over, each a run of rings
 * {@code (int vertices, then int x, int y per vertex)}; the lattice coordinates are integers.
 * Memory: the list of parts per open region (one per {@link HoleSpill#HELD_VERTICES} vertices).
 */
public final class SpilledHoles implements HoleSpill, AutoCloseable {
    /**
     * Hole vertices simplified together, at least: each part is checked against the shell's edges
     * near it (the shell itself is checked once), and its own grid of edges is built per part (parts
     * of 256 holes against the 16,000-vertex shell of a 30k x 30k slide's tissue once spent 40 s
     * re-checking the shell).
     */
    static final int SIMPLIFIED_TOGETHER = 16_384;

    private final Path file;
    private final DataOutputStream out;
    private final FileChannel in;
    private final GeoJsonWriter writer;
    private final double minRegionPixels;
    private final double minHolePixels;
    private final PolygonSimplifier simplifier;
    /** Slide pixels per class-map pixel: 1, or N for a tissue map at 1/N (its rings are scaled as they come). */
    private final int scale;
    /** Per region: its parts in the file, {offset, bytes}. */
    private final Map<Long, List<long[]>> parts = new HashMap<>();
    private long written;
    private long regions;

    /**
     * @param file    the temporary file (replaced; removed by {@link #close()})
     * @param writer  where the regions go, as the other regions of the slide
     */
    public SpilledHoles(Path file, PolygonCleaning cleaning, Double micronsPerPixel, GeoJsonWriter writer) {
        this(file, 1, cleaning, micronsPerPixel, writer);
    }

    /**
     * @param scale slide pixels per pixel of the class map traced: N for a tissue map at 1/N, whose
     *              rings are scaled to the slide's pixels before they are cleaned, as its other regions are
     */
    public SpilledHoles(Path file, int scale, PolygonCleaning cleaning, Double micronsPerPixel, GeoJsonWriter writer) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1: " + scale);
        }
        this.scale = scale;
        this.file = file;
        this.writer = writer;
        this.minRegionPixels = cleaning.minRegionPixels(micronsPerPixel);
        this.minHolePixels = cleaning.minHolePixels(micronsPerPixel);
        this.simplifier = cleaning.simplify() > 0 || cleaning.smoothing() > 0
                ? PolygonSimplifier.withTolerance(cleaning.simplify()).smoothing(cleaning.smoothing())
                : null;
        try {
            OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            this.out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            this.in = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + SlideResults.reason(e), e);
        }
    }

    @Override
    public void store(long region, List<Ring> holes) {
        long offset = written;
        try {
            for (Ring h : holes) {
                if (h.area() * scale * scale < minHolePixels) {
                    continue; // filled anyway
                }
                out.writeInt(h.size());
                for (int i = 0; i < h.size(); i++) {
                    out.writeInt((int) h.x(i) * scale);
                    out.writeInt((int) h.y(i) * scale);
                }
                written += 4 + 8L * h.size();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + SlideResults.reason(e), e);
        }
        if (written > offset) {
            parts.computeIfAbsent(region, r -> new ArrayList<>()).add(new long[] {offset, written - offset});
        }
    }

    @Override
    public void merge(long from, long into) {
        List<long[]> moved = parts.remove(from);
        if (moved != null) {
            parts.computeIfAbsent(into, r -> new ArrayList<>()).addAll(moved);
        }
    }

    @Override
    public void close(long region, ClassifiedPolygon traced) {
        ClassifiedPolygon polygon = scale == 1 ? traced : traced.scaled(scale);
        List<long[]> own = parts.remove(region);
        List<long[]> stored = own == null ? List.of() : own;
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + SlideResults.reason(e), e);
        }
        Ring shell = polygon.polygon().shell();
        List<Ring> held = new ArrayList<>();
        double area = shell.area();
        for (Ring h : polygon.polygon().holes()) {
            if (h.area() >= minHolePixels) {
                held.add(h);
                area -= h.area();
            }
        }
        for (Iterator<Ring> it = read(stored); it.hasNext(); ) {
            area -= it.next().area();
        }
        if (area < minRegionPixels) {
            return;
        }
        regions++;
        ClassifiedPolygon first = new ClassifiedPolygon(polygon.imageClass(), new Polygon(shell, held));
        if (simplifier == null) {
            writer.accept(first, read(stored));
        } else {
            ClassifiedPolygon simplified = simplifier.apply(first);
            writer.accept(simplified, simplified(simplified.polygon().shell(), read(stored)));
        }
    }

    /** Forgets a region that closed and is not written (its holes stay unread in the file, which is temporary). */
    public void drop(long region) {
        parts.remove(region);
    }

    /** Regions written with holes read back from the file. */
    public long regions() {
        return regions;
    }

    /**
     * The holes simplified part by part (parts of at least as many vertices as the shell), each part
     * checked against the shell as written: simplified once, not again for every part. Parts go two
     * at a time, the second on another thread (the common pool): the tissue of a whole slide closes
     * last, when the tile workers are done, and its holes were a tail on one core. Same parts, same
     * results, in the same order.
     */
    private Iterator<Ring> simplified(Ring shell, Iterator<Ring> holes) {
        int together = Math.max(SIMPLIFIED_TOGETHER, shell.size());
        return new Iterator<>() {
            private Iterator<Ring> group = List.<Ring>of().iterator();
            private CompletableFuture<List<Ring>> after;

            @Override
            public boolean hasNext() {
                while (!group.hasNext()) {
                    if (after != null) {
                        group = done(after).iterator();
                        after = null;
                        continue;
                    }
                    List<Ring> first = part();
                    if (first.isEmpty()) {
                        return false;
                    }
                    List<Ring> second = part();
                    if (!second.isEmpty()) {
                        after = CompletableFuture.supplyAsync(() -> simplifier.simplifyHoles(shell, second),
                                ForkJoinPool.commonPool());
                    }
                    group = simplifier.simplifyHoles(shell, first).iterator();
                }
                return true;
            }

            private List<Ring> part() {
                List<Ring> next = new ArrayList<>();
                for (int vertices = 0; vertices < together && holes.hasNext(); ) {
                    Ring hole = holes.next();
                    next.add(hole);
                    vertices += hole.size();
                }
                return next;
            }

            @Override
            public Ring next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return group.next();
            }
        };
    }

    /** The result of a part simplified on another thread, its failure rethrown as it was. */
    private static List<Ring> done(CompletableFuture<List<Ring>> part) {
        try {
            return part.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The rings of these parts, read one part at a time. */
    private Iterator<Ring> read(List<long[]> stored) {
        return new Iterator<>() {
            private int part;
            private ByteBuffer buffer = ByteBuffer.allocate(0);

            @Override
            public boolean hasNext() {
                while (!buffer.hasRemaining() && part < stored.size()) {
                    long[] p = stored.get(part++);
                    buffer = ByteBuffer.allocate(Math.toIntExact(p[1]));
                    try {
                        long position = p[0];
                        while (buffer.hasRemaining()) {
                            int n = in.read(buffer, position);
                            if (n < 0) {
                                throw new IOException("ends before byte " + (p[0] + p[1]));
                            }
                            position += n;
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + file + ": " + SlideResults.reason(e), e);
                    }
                    buffer.flip();
                }
                return buffer.hasRemaining();
            }

            @Override
            public Ring next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = buffer.getInt();
                double[] xy = new double[2 * n];
                for (int i = 0; i < 2 * n; i++) {
                    xy[i] = buffer.getInt();
                }
                return new Ring(xy);
            }
        };
    }

    /** Removes the file (again harmless). */
    @Override
    public void close() {
        try {
            out.close();
            in.close();
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the .part name marks it as temporary
        }
    }
}
