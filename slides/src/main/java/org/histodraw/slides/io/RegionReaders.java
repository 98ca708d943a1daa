package org.histodraw.slides.io;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * Reads regions of one image level with a small pool of {@link ImageReader}s. An ImageReader is not
 * thread-safe, so each read borrows a reader for itself; up to {@code maxReaders} readers (each with
 * its own file handle) decode in parallel, further callers wait for one to come back.
 *
 * <p>{@code fullWidthBands} works around TwelveMonkeys 3.14.0, which fails on source regions narrower
 * than a tiled TIFF (its issue #746); it is the reader for BigTIFF and for images above 2^31 pixels,
 * which the JDK's reader refuses. Such readers decode full-width bands of whole tile rows and keep the
 * last band, so the tiles of one row (which the tiled pipeline visits in order) cost one decode. This
 * costs memory: width x band height x 3 bytes per reader, e.g. 100k x 768 rows = 230 MB, and makes
 * random access (a viewer jumping around) slow.
 */
final class RegionReaders implements RegionSource {
    private final Path file;
    private final ImageReaderSpi provider;
    private final int level;
    private final int width;
    private final int height;
    private final boolean fullWidthBands;
    private final int bandRows;
    private final int maxReaders;
    private final Deque<Pooled> idle = new ArrayDeque<>();
    private int open;
    private boolean closed;

    RegionReaders(Path file, ImageReaderSpi provider, int level, int width, int height, boolean fullWidthBands,
                  int bandRows, int maxReaders, ImageReader first) {
        this.file = file;
        this.provider = provider;
        this.level = level;
        this.width = width;
        this.height = height;
        this.fullWidthBands = fullWidthBands;
        this.bandRows = Math.max(1, bandRows);
        this.maxReaders = maxReaders;
        this.idle.push(new Pooled(first));
        this.open = 1;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public boolean readsRegions() {
        return true;
    }

    @Override
    public Raster read(PixelRegion region) {
        Pooled pooled = borrow();
        boolean healthy = false;
        try {
            Raster out = fullWidthBands ? readFromBand(pooled, region) : readDirect(pooled, region);
            healthy = true;
            return out;
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.failure(file, "TIFF", e);
        } finally {
            giveBack(pooled, healthy);
        }
    }

    private Raster readDirect(Pooled pooled, PixelRegion region) throws IOException {
        BufferedImage img = pooled.read(level, new Rectangle(region.x(), region.y(), region.width(), region.height()));
        return RgbConversion.toRgb(img, 0, 0, region.width(), region.height());
    }

    private Raster readFromBand(Pooled pooled, PixelRegion region) throws IOException {
        if (pooled.band == null || region.y() < pooled.bandY0 || region.endY() > pooled.bandY1) {
            int y0 = region.y() / bandRows * bandRows;
            int y1 = (int) Math.min(height, ((long) region.endY() + bandRows - 1) / bandRows * bandRows);
            pooled.band = null;
            pooled.band = pooled.read(level, new Rectangle(0, y0, width, y1 - y0));
            pooled.bandY0 = y0;
            pooled.bandY1 = y1;
        }
        return RgbConversion.toRgb(pooled.band, region.x(), region.y() - pooled.bandY0, region.width(), region.height());
    }

    private Pooled borrow() {
        synchronized (idle) {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("slide image is closed: " + file);
                }
                if (!idle.isEmpty()) {
                    return idle.pop();
                }
                if (open < maxReaders) {
                    open++;
                    break;
                }
                try {
                    idle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a reader of " + file, e);
                }
            }
        }
        try {
            return new Pooled(ImageFiles.openReader(file, provider));
        } catch (IOException | RuntimeException e) {
            synchronized (idle) {
                open--;
                idle.notifyAll();
            }
            throw ImageFiles.failure(file, "TIFF", e);
        }
    }

    /** A reader that failed may be left in any state, so it is closed rather than reused. */
    private void giveBack(Pooled pooled, boolean healthy) {
        synchronized (idle) {
            if (healthy && !closed) {
                idle.push(pooled);
            } else {
                open--;
                ImageFiles.closeQuietly(pooled.reader);
            }
            idle.notifyAll();
        }
    }

    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            for (Pooled p : idle) {
                ImageFiles.closeQuietly(p.reader);
            }
            open -= idle.size();
            idle.clear();
            idle.notifyAll();
        }
    }

    private static final class Pooled {
        final ImageReader reader;
        BufferedImage band;
        int bandY0;
        int bandY1;

        Pooled(ImageReader reader) {
            this.reader = reader;
        }

        BufferedImage read(int level, Rectangle source) throws IOException {
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(source);
            return reader.read(level, param);
        }
    }
}
