package org.histodraw.engine.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.histodraw.engine.colour.StainDeconvolution;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * Computes the multiscale pixel features of an RGB slide: for every level of its pyramid asked for,
 * every channel and sigma, the level is smoothed once by a Gaussian (truncated at 4 sigma, borders
 * mirrored), and every feature kind at that sigma is derived from that one smoothed plane by finite
 * differences. Coarser levels (2, 4, 8, 16 times downsampled: 2 x 2 means of the level below,
 * blocks aligned to the slide's corner) give context far beyond the slide's own pixels at a
 * fraction of the cost; their features are brought back to the slide's pixels by bilinear
 * interpolation (coarse pixel centres at {@code (i + 0.5) d - 0.5}, clamped at the borders).
 *
 * <p>Output order: level, then channel, then sigma, then kind (as listed in the settings), then the
 * kind's outputs; {@link #featureNames()} names each plane.
 *
 * <p>Guaranteed: tiling does not change a single bit. The features of a tile {@code T} computed from
 * the slide's pixels over {@link #inputRegion inputRegion(T)} equal the features of the whole slide
 * at {@code T}, because every filter is a finite kernel summed in a fixed order, every coarse pixel
 * is the same mean of the same block wherever it is computed, every interpolation the same weights
 * of the same coarse pixels, and a clipped halo ends exactly at the slide's (or level's) border,
 * where both mirror alike. Not guaranteed: equality with scikit-image to the last digit (float, not
 * double; border mirroring instead of "nearest"; 3-point second differences; see {@link FeatureKind}).
 *
 * <p>With {@link Normalisation#SLIDE} every channel is standardised by the slide's own
 * {@link ChannelStatistics} (on every level alike): measure them once per slide with
 * {@link #measure} and hand them to every tile; the overloads without statistics measure the raster
 * they are given (the whole image).
 *
 * <p>Memory: a few scratch planes the size of the input, kept between calls and grown when needed.
 * Not thread-safe: make one bank per thread.
 */
public final class FeatureBank {
    private final FeatureSettings settings;
    private final int featureCount;
    private final int halo;
    private final List<String> names;
    /** The settings' levels, ascending, and the features of each. */
    private final int[] levels;
    private final LevelFeatures[] levelFeatures;
    private final int maxLevel;
    /** For measuring a slide's channels (the stain planes of the full-resolution level). */
    private final StainDeconvolution stains;
    private final float[][] stainPlanes = new float[2][0];

    // Scratch for the coarse levels, reused between calls.
    private final Raster[] levelPixels;
    private final Raster[] coarseFeatures;
    private float[] interpolatedRows = new float[0];

    public FeatureBank(FeatureSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.featureCount = settings.featureCount();
        this.halo = settings.halo();
        this.stains = settings.stains() == null ? null : settings.stains().deconvolution();
        List<Integer> l = settings.levels();
        levels = new int[l.size()];
        levelFeatures = new LevelFeatures[l.size()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = l.get(i);
            levelFeatures[i] = new LevelFeatures(settings, stains);
        }
        maxLevel = levels[levels.length - 1];
        levelPixels = new Raster[Integer.numberOfTrailingZeros(maxLevel) + 1];
        coarseFeatures = new Raster[levels.length];
        List<String> n = new ArrayList<>(featureCount);
        for (int d : levels) {
            String at = d == 1 ? "" : " at 1/" + d;
            for (String channel : settings.channelNames()) {
                for (double s : settings.sigmas()) {
                    for (FeatureKind k : settings.kinds()) {
                        for (int j = 0; j < k.outputs(); j++) {
                            n.add(channel + " " + k.displayName() + (k.outputs() > 1 ? " " + (j + 1) : "")
                                    + " σ=" + FeatureSettings.formatSigma(s) + at);
                        }
                    }
                }
            }
        }
        this.names = List.copyOf(n);
    }

    public FeatureSettings settings() {
        return settings;
    }

    public int featureCount() {
        return featureCount;
    }

    /** One readable name per output plane, e.g. {@code Hematoxylin Gaussian σ=1.6} or {@code ... σ=2.5 at 1/16}. */
    public List<String> featureNames() {
        return names;
    }

    /**
     * Pixels of context needed on each side of a tile, at most (see {@link FeatureSettings#halo()});
     * {@link #inputRegion} gives the exact region to read.
     */
    public int halo() {
        return halo;
    }

    /**
     * The part of the slide to read for a tile: the tile grown by the halo of its own pixels, and by
     * the blocks of every coarse pixel its coarse levels need, clipped to the slide.
     */
    public PixelRegion inputRegion(PixelRegion tile, PixelRegion slideBounds) {
        return plan(tile, slideBounds)[0];
    }

    /** Features of every pixel of {@code rgb} (the whole image), in a new raster of {@link #featureCount()} planes. */
    public Raster compute(Raster rgb) {
        Raster out = Raster.allocate(rgb.width(), rgb.height(), featureCount);
        compute(rgb, out);
        return out;
    }

    /** Features of every pixel of {@code rgb} (the whole image) into {@code out} (same size); allocates nothing once warm. */
    public void compute(Raster rgb, Raster out) {
        compute(rgb, PixelRegion.of(rgb.width(), rgb.height()), out);
    }

    /** Features of the pixels of {@code window} of the whole image {@code rgb}, in a new raster. */
    public Raster compute(Raster rgb, PixelRegion window) {
        Raster out = Raster.allocate(window.width(), window.height(), featureCount);
        compute(rgb, window, out);
        return out;
    }

    /**
     * Features of the pixels of {@code window} of the whole image {@code rgb} into {@code out}, which
     * has the window's size: equal, bit for bit, to {@code compute(rgb)} cropped to the window.
     * Allocates nothing once the scratch buffers have grown to the input size.
     */
    public void compute(Raster rgb, PixelRegion window, Raster out) {
        compute(rgb, window, out, settings.normalisation() == Normalisation.NONE ? null : measure(TileSource.of(rgb)));
    }

    /** Features of the pixels of {@code window} of the whole image {@code rgb}, normalised by the slide's statistics. */
    public Raster compute(Raster rgb, PixelRegion window, ChannelStatistics slide) {
        Raster out = Raster.allocate(window.width(), window.height(), featureCount);
        compute(rgb, window, out, slide);
        return out;
    }

    /**
     * As {@link #compute(Raster, PixelRegion, Raster)}, with channels standardised by {@code slide}
     * (the statistics of the whole slide) when the settings ask for it.
     *
     * @param slide ignored without normalisation; required with it
     */
    public void compute(Raster rgb, PixelRegion window, Raster out, ChannelStatistics slide) {
        PixelRegion whole = PixelRegion.of(rgb.width(), rgb.height());
        compute(rgb, whole, whole, window, out, slide);
    }

    /**
     * Features of a tile of a slide: reads {@link #inputRegion} from {@code source} and computes,
     * standardising by {@code slide} (the slide's statistics) when the settings ask for it.
     */
    public void compute(TileSource source, PixelRegion tile, Raster out, ChannelStatistics slide) {
        PixelRegion read = inputRegion(tile, source.bounds());
        compute(source.read(read), read, source.bounds(), tile, out, slide);
    }

    /**
     * Features of {@code tile} of a slide of {@code slideBounds}, from {@code pixels}: the slide's
     * pixels over {@code pixelsAt}, which must contain {@link #inputRegion inputRegion(tile)}.
     *
     * @param slide ignored without normalisation; required with it
     */
    public void compute(Raster pixels, PixelRegion pixelsAt, PixelRegion slideBounds, PixelRegion tile, Raster out,
                        ChannelStatistics slide) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(tile, "tile");
        Objects.requireNonNull(out, "out");
        if (settings.normalisation() != Normalisation.NONE) {
            if (slide == null) {
                throw new IllegalArgumentException("these features standardise each slide: measure its channel "
                        + "statistics first (FeatureBank.measure)");
            }
            if (slide.channels() != settings.channelCount()) {
                throw new IllegalArgumentException("statistics of " + slide.channels() + " channels given for "
                        + settings.channelCount() + " input channels");
            }
        } else {
            slide = null;
        }
        checkInput(settings, pixels);
        if (pixels.width() != pixelsAt.width() || pixels.height() != pixelsAt.height()) {
            throw new IllegalArgumentException("pixels are " + pixels.width() + " x " + pixels.height() + " but said to cover "
                    + pixelsAt);
        }
        if (tile.isEmpty() || !slideBounds.contains(tile)) {
            throw new IllegalArgumentException("tile " + tile + " is not inside the slide " + slideBounds);
        }
        if (out.width() != tile.width() || out.height() != tile.height() || out.channels() != featureCount) {
            throw new IllegalArgumentException("output raster is " + out.width() + " x " + out.height() + " x "
                    + out.channels() + ", expected " + tile.width() + " x " + tile.height() + " x " + featureCount);
        }
        PixelRegion[] need = plan(tile, slideBounds);
        if (!pixelsAt.contains(need[0]) || !slideBounds.contains(pixelsAt)) {
            throw new IllegalArgumentException("the pixels read, " + pixelsAt + ", do not cover the " + need[0]
                    + " that tile " + tile + " needs (FeatureBank.inputRegion)");
        }
        int perLevel = settings.featuresPerLevel();
        for (int i = 0; i < levels.length; i++) {
            int d = levels[i];
            if (d == 1) {
                // The slide's own pixels: the raster read is the image as far as this level reaches.
                PixelRegion window = new PixelRegion(tile.x() - pixelsAt.x(), tile.y() - pixelsAt.y(), tile.width(),
                        tile.height());
                levelFeatures[i].compute(pixels, window, out, i * perLevel, slide);
            }
        }
        if (maxLevel == 1) {
            return;
        }
        // The pyramid over the regions each level needs, each level from the one below.
        Raster below = pixels;
        PixelRegion belowAt = pixelsAt;
        PixelRegion belowBounds = slideBounds;
        for (int k = 1, d = 2; d <= maxLevel; k++, d *= 2) {
            PixelRegion bounds = LevelGeometry.levelBounds(slideBounds, d);
            PixelRegion at = need[k];
            if (at.isEmpty()) {
                break;
            }
            levelPixels[k] = LevelGeometry.halve(below, belowAt, belowBounds, at, reuse(levelPixels[k], at, pixels.channels()));
            below = levelPixels[k];
            belowAt = at;
            belowBounds = bounds;
        }
        for (int i = 0; i < levels.length; i++) {
            int d = levels[i];
            if (d == 1) {
                continue;
            }
            int k = Integer.numberOfTrailingZeros(d);
            PixelRegion bounds = LevelGeometry.levelBounds(slideBounds, d);
            PixelRegion window = LevelGeometry.coarseWindow(tile, d, bounds);
            PixelRegion at = need[k];
            coarseFeatures[i] = reuse(coarseFeatures[i], window, perLevel);
            PixelRegion inFrame = new PixelRegion(window.x() - at.x(), window.y() - at.y(), window.width(), window.height());
            levelFeatures[i].compute(levelPixels[k], inFrame, coarseFeatures[i], 0, slide);
            upsample(coarseFeatures[i], window, bounds, d, tile, out, i * perLevel, perLevel);
        }
    }

    /**
     * What a tile needs: [0] the slide's pixels to read, [k] the pixels of level 2^k to build (in
     * that level's coordinates; empty when none), each covering its own features' reach and the
     * blocks the level above is made of.
     */
    private PixelRegion[] plan(PixelRegion tile, PixelRegion slideBounds) {
        int steps = Integer.numberOfTrailingZeros(maxLevel);
        PixelRegion[] need = new PixelRegion[steps + 1];
        for (int k = 0; k <= steps; k++) {
            need[k] = new PixelRegion(0, 0, 0, 0);
        }
        int levelHalo = settings.levelHalo();
        for (int d : levels) {
            int k = Integer.numberOfTrailingZeros(d);
            PixelRegion bounds = LevelGeometry.levelBounds(slideBounds, d);
            PixelRegion window = d == 1 ? tile : LevelGeometry.coarseWindow(tile, d, bounds);
            need[k] = LevelGeometry.union(need[k], window.expand(levelHalo, bounds));
        }
        for (int k = steps; k >= 1; k--) {
            if (!need[k].isEmpty()) {
                PixelRegion belowBounds = LevelGeometry.levelBounds(slideBounds, 1 << (k - 1));
                need[k - 1] = LevelGeometry.union(need[k - 1], LevelGeometry.children(need[k], belowBounds));
            }
        }
        return need;
    }

    /** Bilinear interpolation of one level's features (over {@code window}) to the tile's pixels. */
    private void upsample(Raster coarse, PixelRegion window, PixelRegion bounds, int d, PixelRegion tile, Raster out,
                          int first, int planes) {
        int tw = tile.width(), th = tile.height(), cw = window.width();
        int[] x0 = new int[tw], x1 = new int[tw];
        float[] tx = new float[tw];
        LevelGeometry.weights(tile.x(), tw, d, bounds.width(), window.x(), x0, x1, tx);
        int[] y0 = new int[th], y1 = new int[th];
        float[] ty = new float[th];
        LevelGeometry.weights(tile.y(), th, d, bounds.height(), window.y(), y0, y1, ty);
        int rows = window.height();
        interpolatedRows = rows * tw <= interpolatedRows.length ? interpolatedRows : new float[rows * tw];
        float[] h = interpolatedRows;
        for (int p = 0; p < planes; p++) {
            float[] src = coarse.plane(p);
            // Along x for every coarse row of the window, then along y: the same weights of the same
            // coarse pixels whatever the tile.
            for (int r = 0; r < rows; r++) {
                int row = r * cw, o = r * tw;
                for (int x = 0; x < tw; x++) {
                    float t = tx[x];
                    h[o + x] = (1 - t) * src[row + x0[x]] + t * src[row + x1[x]];
                }
            }
            float[] dst = out.plane(first + p);
            for (int y = 0; y < th; y++) {
                float t = ty[y];
                int a = y0[y] * tw, b = y1[y] * tw, o = y * tw;
                for (int x = 0; x < tw; x++) {
                    dst[o + x] = (1 - t) * h[a + x] + t * h[b + x];
                }
            }
        }
    }

    private static Raster reuse(Raster r, PixelRegion size, int planes) {
        if (r != null && r.width() == size.width() && r.height() == size.height() && r.channels() == planes) {
            return r;
        }
        return Raster.allocate(size.width(), size.height(), planes);
    }

    /** Slides up to this many pixels are measured whole; larger ones on a grid of sample windows. */
    static final long MEASURE_WHOLE_PIXELS = 1L << 22;
    private static final int MEASURE_GRID = 8;
    private static final int MEASURE_WINDOW = 256;

    /**
     * Mean and standard deviation of each input channel over a slide: every pixel of a slide up to
     * 4 Mpx, else the pixels of an 8 x 8 grid of 256 x 256 windows spread evenly over it. Always the
     * same pixels for the same slide, so every caller gets the same numbers. One window after the
     * other; a caller with threads measures the {@link #measuringWindows windows} in parallel with
     * {@link #sums} and combines them with {@link ChannelSums#combine}, to the same bits.
     */
    public ChannelStatistics measure(TileSource source) {
        Objects.requireNonNull(source, "source");
        List<ChannelSums> parts = new ArrayList<>();
        for (PixelRegion r : measuringWindows(source.bounds())) {
            parts.add(sums(source.read(r)));
        }
        return ChannelSums.combine(parts);
    }

    /** The sums of each input channel over every pixel of {@code rgb} (one measuring window). */
    public ChannelSums sums(Raster rgb) {
        Objects.requireNonNull(rgb, "rgb");
        checkInput(settings, rgb);
        ChannelSet channels = settings.channels();
        int n = settings.channelCount();
        int pixels = rgb.pixelCount();
        float[][] planes = new float[n][];
        int rgbChannels = channels == ChannelSet.IMAGE ? n : channels.includesRgb() ? 3 : 0;
        for (int c = 0; c < rgbChannels; c++) {
            planes[c] = rgb.plane(inputPlane(settings, c));
        }
        if (channels.stainCount() > 0) {
            // The bank's scratch planes: no fresh memory per window.
            for (int s = 0; s < channels.stainCount(); s++) {
                stainPlanes[s] = stainPlanes[s].length >= pixels ? stainPlanes[s] : new float[pixels];
            }
            stains.deconvolve(rgb, 0, 0, rgb.width(), rgb.height(), stainPlanes);
            for (int s = 0; s < channels.stainCount(); s++) {
                planes[rgbChannels + s] = stainPlanes[s];
            }
        }
        double[] sum = new double[n];
        double[] sumSquares = new double[n];
        for (int c = 0; c < n; c++) {
            double s = 0, sq = 0;
            float[] p = planes[c];
            for (int i = 0; i < pixels; i++) {
                double v = p[i];
                s += v;
                sq += v * v;
            }
            sum[c] = s;
            sumSquares[c] = sq;
        }
        return new ChannelSums(pixels, sum, sumSquares);
    }

    /**
     * The windows a slide's statistics are measured on (see {@link #measure}): the whole slide in
     * 1024-pixel squares up to 4 Mpx, else an 8 x 8 grid of 256 x 256 windows.
     */
    public static List<PixelRegion> measuringWindows(PixelRegion bounds) {
        List<PixelRegion> windows = new ArrayList<>();
        if (bounds.area() <= MEASURE_WHOLE_PIXELS) {
            for (int y = bounds.y(); y < bounds.endY(); y += 1024) {
                for (int x = bounds.x(); x < bounds.endX(); x += 1024) {
                    windows.add(new PixelRegion(x, y, Math.min(1024, bounds.endX() - x), Math.min(1024, bounds.endY() - y)));
                }
            }
            return windows;
        }
        for (int gy = 0; gy < MEASURE_GRID; gy++) {
            for (int gx = 0; gx < MEASURE_GRID; gx++) {
                int cx = bounds.x() + (int) ((gx + 0.5) * bounds.width() / MEASURE_GRID);
                int cy = bounds.y() + (int) ((gy + 0.5) * bounds.height() / MEASURE_GRID);
                PixelRegion w = new PixelRegion(cx - MEASURE_WINDOW / 2, cy - MEASURE_WINDOW / 2, MEASURE_WINDOW,
                        MEASURE_WINDOW).intersect(bounds);
                if (!w.isEmpty()) {
                    windows.add(w);
                }
            }
        }
        return windows;
    }


    /** The plane of the input raster that input channel {@code c} reads (a picked image channel, or R, G, B). */
    static int inputPlane(FeatureSettings settings, int c) {
        return settings.channels() == ChannelSet.IMAGE ? settings.imageChannels().get(c) - 1 : c;
    }

    static void checkInput(FeatureSettings settings, Raster input) {
        if (settings.channels() == ChannelSet.IMAGE) {
            int highest = settings.imageChannels().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (input.channels() < highest) {
                throw new IllegalArgumentException("the features use image channel " + highest + ", the image has "
                        + input.channels() + " channels");
            }
        } else if (input.channels() < 3) {
            throw new IllegalArgumentException("features need an RGB raster, got " + input.channels() + " channels");
        }
    }
}
