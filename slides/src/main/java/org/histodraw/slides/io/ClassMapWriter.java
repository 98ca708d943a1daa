package org.histodraw.slides.io;

import java.nio.file.Path;
import java.util.Optional;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.slides.png.PngWriter;

/**
 * Writes a class map as a palette PNG: pixel value = class index (so the file reads back as labels),
 * palette entry {@code i} = the colour of class {@code i}, entry 0 (unlabelled) fully transparent.
 *
 * <p>Streaming: {@link #open} then {@link #accept} full-width strips from top to bottom, as the tiled
 * pipeline produces them; only the current strip is in memory, so a 20k x 20k map never is. The PNG
 * is written to {@code name.part} beside the target and moved into place by {@link #close} only when
 * every row arrived: a cancelled or failed job leaves no half image behind.
 */
public final class ClassMapWriter implements AutoCloseable {
    private final ClassList classes;
    private final PartFile part;
    private final PngWriter png;
    private final int width;
    private final int height;

    private ClassMapWriter(Path file, int width, int height, ClassList classes, Optional<Double> micronsPerPixel) {
        if (classes.size() > 255) {
            throw new IllegalArgumentException("a class map holds at most 255 classes, not " + classes.size());
        }
        this.classes = classes;
        this.width = width;
        this.height = height;
        this.part = PartFile.create(file);
        try {
            this.png = PngWriter.palette(part.stream(), width, height, palette(classes), micronsPerPixel);
        } catch (RuntimeException e) {
            part.abort();
            throw e;
        }
    }

    /** Writes a whole class map held in memory. */
    public static void write(LabelRaster classMap, ClassList classes, Path file) {
        write(classMap, classes, file, Optional.empty());
    }

    public static void write(LabelRaster classMap, ClassList classes, Path file, Optional<Double> micronsPerPixel) {
        try (ClassMapWriter writer = open(file, classMap.width(), classMap.height(), classes, micronsPerPixel)) {
            writer.accept(0, classMap);
        }
    }

    public static ClassMapWriter open(Path file, int width, int height, ClassList classes) {
        return open(file, width, height, classes, Optional.empty());
    }

    /** @param micronsPerPixel written as the PNG's pHYs so viewers and re-reads know the scale */
    public static ClassMapWriter open(Path file, int width, int height, ClassList classes, Optional<Double> micronsPerPixel) {
        return new ClassMapWriter(file, width, height, classes, micronsPerPixel);
    }

    /** The palette: index 0 transparent, index i the colour of class i. */
    static int[] palette(ClassList classes) {
        int[] palette = new int[classes.size() + 1];
        for (int i = 1; i <= classes.size(); i++) {
            palette[i] = 0xff000000 | classes.get(i).rgb();
        }
        return palette;
    }

    /**
     * The next strip: image rows {@code y .. y + strip.height() - 1}, full width, directly below the
     * previous strip. Values must be 0 or a class index.
     */
    public void accept(int y, LabelRaster strip) {
        if (strip.width() != width) {
            throw new IllegalArgumentException("strip width " + strip.width() + " differs from the class map width " + width);
        }
        if (y != png.rowsWritten()) {
            throw new IllegalArgumentException("strips must arrive top to bottom: expected row " + png.rowsWritten() + ", got " + y);
        }
        if (y + strip.height() > height) {
            throw new IllegalArgumentException("strip rows " + y + ".." + (y + strip.height() - 1) + " run past the map height " + height);
        }
        byte[] data = strip.data();
        int max = classes.size();
        for (int i = 0; i < data.length; i++) {
            if ((data[i] & 0xff) > max) {
                throw new IllegalArgumentException("class map value " + (data[i] & 0xff) + " at (" + (i % width) + ", "
                        + (y + i / width) + ") is not a class (have " + max + ")");
            }
        }
        for (int row = 0; row < strip.height(); row++) {
            png.writeRow(data, row * width);
        }
    }

    public int rowsWritten() {
        return png.rowsWritten();
    }

    /** Stops without a result: the partial file is deleted. */
    public void abort() {
        png.close();
        part.abort();
    }

    /**
     * Completes the PNG and moves it into place; when rows are missing, deletes the partial file and
     * fails (unless {@link #abort} came first).
     */
    @Override
    public void close() {
        part.complete(png);
    }
}
