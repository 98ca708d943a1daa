package org.histodraw.slides.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.Raster;
import org.histodraw.slides.png.PngWriter;

/**
 * Writes probability planes as 8-bit PNGs, streaming strips from top to bottom like
 * {@link ClassMapWriter} (each file appears only once complete). Two layouts:
 * <ul>
 *   <li>{@link #perPlane}: one grayscale PNG per plane, value {@code round(255 * p)}, for analysis
 *       (e.g. {@code 01_prob_nucleus.png}, and the uncertainty plane when wanted);</li>
 *   <li>{@link #composite}: one RGB PNG for the eye, each pixel the class colours mixed by their
 *       probabilities ({@code sum_k p_k * colour_k}), so confident regions show pure class colours and
 *       doubtful ones muddy mixtures.</li>
 * </ul>
 * Values outside [0, 1] are clamped.
 */
public final class ProbabilityMapWriter implements AutoCloseable {
    private final int width;
    private final int height;
    private final List<Output> outputs;
    private int rows;

    private ProbabilityMapWriter(int width, int height, List<Output> outputs) {
        this.width = width;
        this.height = height;
        this.outputs = outputs;
    }

    /**
     * One grayscale PNG per probability plane.
     *
     * @param planeFiles file for plane {@code i}, or null to skip that plane
     */
    public static ProbabilityMapWriter perPlane(List<Path> planeFiles, int width, int height, Optional<Double> micronsPerPixel) {
        List<Output> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < planeFiles.size(); i++) {
                if (planeFiles.get(i) != null) {
                    PartFile part = PartFile.create(planeFiles.get(i));
                    outputs.add(new Output(part, PngWriter.gray(part.stream(), width, height, micronsPerPixel), i, null));
                }
            }
        } catch (RuntimeException e) {
            outputs.forEach(Output::abort);
            throw e;
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("no probability plane to write");
        }
        return new ProbabilityMapWriter(width, height, outputs);
    }

    /** One RGB PNG mixing the class colours of planes 1..K (plane {@code k - 1} is class {@code k}). */
    public static ProbabilityMapWriter composite(Path file, int width, int height, ClassList classes, Optional<Double> micronsPerPixel) {
        if (classes.size() == 0) {
            throw new IllegalArgumentException("a composite needs at least one class");
        }
        PartFile part = PartFile.create(file);
        try {
            return new ProbabilityMapWriter(width, height,
                    List.of(new Output(part, PngWriter.rgb(part.stream(), width, height, micronsPerPixel), -1, classes)));
        } catch (RuntimeException e) {
            part.abort();
            throw e;
        }
    }

    /**
     * File names for {@link #perPlane} in {@code dir}: {@code <base>_prob_<class>.png} for each class
     * (class names made file-safe: lower case, runs of other characters become '-'), then
     * {@code <base>_uncertainty.png} when {@code uncertainty} is true.
     */
    public static List<Path> planeFiles(Path dir, String baseName, ClassList classes, boolean uncertainty) {
        List<Path> files = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 1; i <= classes.size(); i++) {
            String slug = slug(classes.get(i).name());
            if (!used.add(slug)) {
                slug = slug + "-" + i;
                used.add(slug);
            }
            files.add(dir.resolve(baseName + "_prob_" + slug + ".png"));
        }
        if (uncertainty) {
            files.add(dir.resolve(baseName + "_uncertainty.png"));
        }
        return files;
    }

    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "class" : s;
    }

    /** The next full-width strip of probability planes, starting at image row {@code y}. */
    public void accept(int y, Raster planes) {
        if (planes.width() != width) {
            throw new IllegalArgumentException("strip width " + planes.width() + " differs from the map width " + width);
        }
        if (y != rows) {
            throw new IllegalArgumentException("strips must arrive top to bottom: expected row " + rows + ", got " + y);
        }
        if (y + planes.height() > height) {
            throw new IllegalArgumentException("strip rows " + y + ".." + (y + planes.height() - 1) + " run past the map height " + height);
        }
        for (Output o : outputs) {
            o.write(planes, width);
        }
        rows += planes.height();
    }

    public int rowsWritten() {
        return rows;
    }

    /** The files this writer produces. */
    public List<Path> files() {
        return outputs.stream().map(o -> o.part.target()).toList();
    }

    /** Stops without results: the partial files are deleted. */
    public void abort() {
        outputs.forEach(Output::abort);
    }

    /** Completes every file; when rows are missing, deletes them all and fails (unless aborted first). */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (Output o : outputs) {
            try {
                if (failure == null) {
                    o.part.complete(o.png);
                } else {
                    o.abort();
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static final class Output {
        final PartFile part;
        final PngWriter png;
        final int plane;
        final ClassList classes;
        byte[] row;

        Output(PartFile part, PngWriter png, int plane, ClassList classes) {
            this.part = part;
            this.png = png;
            this.plane = plane;
            this.classes = classes;
        }

        void write(Raster planes, int width) {
            if (classes == null && plane >= planes.channels()) {
                throw new IllegalArgumentException("strip has " + planes.channels() + " planes, plane " + plane + " was asked for");
            }
            if (classes != null && planes.channels() < classes.size()) {
                throw new IllegalArgumentException("strip has " + planes.channels() + " planes for " + classes.size() + " classes");
            }
            if (row == null) {
                row = new byte[classes == null ? width : 3 * width];
            }
            for (int y = 0; y < planes.height(); y++) {
                int base = y * width;
                if (classes == null) {
                    float[] p = planes.plane(plane);
                    for (int x = 0; x < width; x++) {
                        row[x] = (byte) toByte(p[base + x]);
                    }
                } else {
                    mix(planes, base, width);
                }
                png.writeRow(row, 0);
            }
        }

        private void mix(Raster planes, int base, int width) {
            for (int x = 0; x < width; x++) {
                float r = 0, g = 0, b = 0;
                for (int k = 1; k <= classes.size(); k++) {
                    float p = clamp(planes.plane(k - 1)[base + x]);
                    int rgb = classes.get(k).rgb();
                    r += p * ((rgb >> 16) & 0xff);
                    g += p * ((rgb >> 8) & 0xff);
                    b += p * (rgb & 0xff);
                }
                row[3 * x] = (byte) Math.min(255, Math.round(r));
                row[3 * x + 1] = (byte) Math.min(255, Math.round(g));
                row[3 * x + 2] = (byte) Math.min(255, Math.round(b));
            }
        }

        void abort() {
            png.close();
            part.abort();
        }

        private static int toByte(float p) {
            return Math.round(clamp(p) * 255);
        }

        private static float clamp(float p) {
            return p > 0 ? (p < 1 ? p : 1) : 0;
        }
    }
}
