package org.histodraw.engine.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.histodraw.engine.colour.StainDeconvolution;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * Computes the multiscale pixel features of an RGB raster: for every channel and sigma the image is
 * smoothed once by a Gaussian (truncated at 4 sigma, borders mirrored), and every feature kind at
 * that sigma is derived from that one smoothed plane by finite differences.
 *
 * <p>Output order: channel, then sigma, then kind (as listed in the settings), then the kind's
 * outputs; {@link #featureNames()} names each plane.
 *
 * <p>Guaranteed: tiling does not change a single bit. For a tile {@code T} of an image,
 * features of {@code image.crop(T.expand(halo(), image bounds))} at {@code T} equal the features of
 * the whole image at {@code T}, because every filter is a finite kernel summed in a fixed order and
 * a clipped halo ends exactly at the image border, where both mirror alike. Not guaranteed: equality
 * with scikit-image to the last digit (float, not double; border mirroring instead of "nearest";
 * 3-point second differences; see {@link FeatureKind}).
 *
 * <p>With {@link Normalisation#SLIDE} every channel is standardised by the slide's own
 * {@link ChannelStatistics}: measure them once per slide with {@link #measure} and hand them to every
 * tile; the overloads without statistics measure the raster they are given (the whole image).
 *
 * <p>Memory: a few scratch planes the size of the input, kept between calls and grown when needed.
 * Not thread-safe: make one bank per thread.
 */
public final class FeatureBank {
    private final FeatureSettings settings;
    private final int featureCount;
    private final int halo;
    private final int outputsPerScale;
    private final List<String> names;
    private final Scale[] scales;
    /** The stains of the stain channels (the settings' vectors), or null without stain channels. */
    private final StainDeconvolution stains;
    private final GaussianSmoother smoother = new GaussianSmoother();
    private final FiniteDifferences differences = new FiniteDifferences();

    // Scratch, reused between calls.
    private float[] smoothed = new float[0];
    private final float[][] stainPlanes = new float[2][0];
    private float[] tensorXX = new float[0];
    private float[] tensorXY = new float[0];
    private float[] tensorYY = new float[0];
    private float[] spare = new float[0];
    private float[] rgbScratch = new float[0];

    /** What one sigma needs: its kernels and how far around each output pixel it is smoothed. */
    private record Scale(double sigma, GaussianKernel smoothing, GaussianKernel dog, GaussianKernel tensor,
                         int margin) {
    }

    public FeatureBank(FeatureSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.featureCount = settings.featureCount();
        this.halo = settings.halo();
        int perScale = 0;
        for (FeatureKind k : settings.kinds()) {
            perScale += k.outputs();
        }
        this.outputsPerScale = perScale;
        this.stains = settings.stains() == null ? null : settings.stains().deconvolution();
        List<Double> sigmas = settings.sigmas();
        scales = new Scale[sigmas.size()];
        for (int i = 0; i < scales.length; i++) {
            double s = sigmas.get(i);
            int margin = 0;
            for (FeatureKind k : settings.kinds()) {
                margin = Math.max(margin, k.smoothedMargin(s));
            }
            scales[i] = new Scale(s, new GaussianKernel(s),
                    new GaussianKernel(s * FeatureKind.DOG_RATIO),
                    new GaussianKernel(s * FeatureKind.STRUCTURE_TENSOR_OUTER_RATIO), margin);
        }
        List<String> n = new ArrayList<>(featureCount);
        for (String channel : settings.channels().channelNames()) {
            for (double s : sigmas) {
                for (FeatureKind k : settings.kinds()) {
                    for (int j = 0; j < k.outputs(); j++) {
                        n.add(channel + " " + k.displayName() + (k.outputs() > 1 ? " " + (j + 1) : "")
                                + " σ=" + FeatureSettings.formatSigma(s));
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

    /** One readable name per output plane, e.g. {@code Hematoxylin Gaussian σ=1.6}. */
    public List<String> featureNames() {
        return names;
    }

    /**
     * Pixels of context needed on each side of a tile: the largest over kinds and sigmas of
     * {@link FeatureKind#halo(double)}.
     */
    public int halo() {
        return halo;
    }

    /** The part of the image to read for a tile: the tile grown by the halo, clipped to the image. */
    public PixelRegion inputRegion(PixelRegion tile, PixelRegion imageBounds) {
        return tile.expand(halo, imageBounds);
    }

    /** Features of every pixel of {@code rgb}, in a new raster of {@link #featureCount()} planes. */
    public Raster compute(Raster rgb) {
        Raster out = Raster.allocate(rgb.width(), rgb.height(), featureCount);
        compute(rgb, out);
        return out;
    }

    /** Features of every pixel of {@code rgb} into {@code out} (same size); allocates nothing once warm. */
    public void compute(Raster rgb, Raster out) {
        compute(rgb, PixelRegion.of(rgb.width(), rgb.height()), out);
    }

    /** Features of the pixels of {@code window} (in {@code rgb}'s coordinates), in a new raster. */
    public Raster compute(Raster rgb, PixelRegion window) {
        Raster out = Raster.allocate(window.width(), window.height(), featureCount);
        compute(rgb, window, out);
        return out;
    }

    /**
     * Features of the pixels of {@code window} (in {@code rgb}'s coordinates) into {@code out}, which
     * has the window's size. Equal, bit for bit, to {@code compute(rgb)} cropped to the window, at a
     * fraction of the cost when {@code rgb} is a tile with its halo and the window the tile.
     * Allocates nothing once the scratch buffers have grown to the input size.
     */
    public void compute(Raster rgb, PixelRegion window, Raster out) {
        compute(rgb, window, out, settings.normalisation() == Normalisation.NONE ? null : measure(TileSource.of(rgb)));
    }

    /** Features of the pixels of {@code window} of a tile, in a new raster, normalised by the slide's statistics. */
    public Raster compute(Raster rgb, PixelRegion window, ChannelStatistics slide) {
        Raster out = Raster.allocate(window.width(), window.height(), featureCount);
        compute(rgb, window, out, slide);
        return out;
    }

    /**
     * As {@link #compute(Raster, PixelRegion, Raster)}, with channels standardised by {@code slide}
     * (the statistics of the whole slide the tile comes from) when the settings ask for it.
     *
     * @param slide ignored without normalisation; required with it
     */
    public void compute(Raster rgb, PixelRegion window, Raster out, ChannelStatistics slide) {
        Objects.requireNonNull(rgb, "rgb");
        if (settings.normalisation() != Normalisation.NONE) {
            if (slide == null) {
                throw new IllegalArgumentException("these features standardise each slide: measure its channel "
                        + "statistics first (FeatureBank.measure)");
            }
            if (slide.channels() != settings.channels().channelCount()) {
                throw new IllegalArgumentException("statistics of " + slide.channels() + " channels given for "
                        + settings.channels().channelCount() + " input channels");
            }
        }
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(out, "out");
        int frameW = rgb.width(), frameH = rgb.height();
        PixelRegion frame = PixelRegion.of(frameW, frameH);
        if (rgb.channels() < 3) {
            throw new IllegalArgumentException("features need an RGB raster, got " + rgb.channels() + " channels");
        }
        if (window.isEmpty() || !frame.contains(window)) {
            throw new IllegalArgumentException("window " + window + " is not inside the raster "
                    + frameW + " x " + frameH);
        }
        if (out.width() != window.width() || out.height() != window.height() || out.channels() != featureCount) {
            throw new IllegalArgumentException("output raster is " + out.width() + " x " + out.height() + " x "
                    + out.channels() + ", expected " + window.width() + " x " + window.height() + " x " + featureCount);
        }

        ChannelSet channels = settings.channels();
        PixelRegion needed = window.expand(halo, frame);
        int n = (int) needed.area();
        if (channels.stainCount() > 0) {
            for (int s = 0; s < channels.stainCount(); s++) {
                stainPlanes[s] = grow(stainPlanes[s], n);
            }
            stains.deconvolve(rgb, needed.x(), needed.y(), needed.width(), needed.height(), stainPlanes);
        }

        int rgbChannels = channels.includesRgb() ? 3 : 0;
        boolean standardised = settings.normalisation() == Normalisation.SLIDE;
        for (int c = 0; c < channels.channelCount(); c++) {
            Plane src;
            if (c >= rgbChannels) {
                src = new Plane(stainPlanes[c - rgbChannels], needed);
            } else if (standardised) {
                // The caller's plane is not ours to change: the part in reach is copied.
                rgbScratch = grow(rgbScratch, n);
                copy(rgb.plane(c), frameW, needed, rgbScratch);
                src = new Plane(rgbScratch, needed);
            } else {
                src = new Plane(rgb.plane(c), frame);
            }
            if (standardised) {
                // Once on the input, before filtering: every feature then comes out standardised.
                standardise(src.data(), n, slide.mean(c), slide.scale(c));
            }
            for (int si = 0; si < scales.length; si++) {
                computeScale(src, frameW, frameH, window, scales[si], out, (c * scales.length + si) * outputsPerScale);
            }
        }
    }

    private static void copy(float[] plane, int planeWidth, PixelRegion region, float[] to) {
        for (int y = 0; y < region.height(); y++) {
            System.arraycopy(plane, (region.y() + y) * planeWidth + region.x(), to, y * region.width(), region.width());
        }
    }

    private static void standardise(float[] plane, int n, float mean, float scale) {
        for (int i = 0; i < n; i++) {
            plane[i] = (plane[i] - mean) * scale;
        }
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
        ChannelSet channels = settings.channels();
        int n = channels.channelCount();
        int pixels = rgb.pixelCount();
        float[][] planes = new float[n][];
        int rgbChannels = channels.includesRgb() ? 3 : 0;
        for (int c = 0; c < rgbChannels; c++) {
            planes[c] = rgb.plane(c);
        }
        if (channels.stainCount() > 0) {
            // The bank's scratch planes: no fresh memory per window.
            for (int s = 0; s < channels.stainCount(); s++) {
                stainPlanes[s] = grow(stainPlanes[s], pixels);
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

    /** A known part of an input plane, row-major, stride = region width. */
    private record Plane(float[] data, PixelRegion region) {
    }

    private void computeScale(Plane src, int frameW, int frameH, PixelRegion t, Scale scale, Raster out, int f) {
        int m = scale.margin;
        // The smoothed plane over the window grown by the margin, laid out as E; the part of E outside
        // the frame is filled by mirroring, the part inside is computed.
        int ex = t.x() - m, ey = t.y() - m, ew = t.width() + 2 * m, eh = t.height() + 2 * m;
        PixelRegion inside = new PixelRegion(ex, ey, ew, eh).intersect(PixelRegion.of(frameW, frameH));
        smoothed = grow(smoothed, ew * eh);
        float[] g = smoothed;
        smoother.smooth(scale.smoothing, frameW, frameH,
                src.data, src.region.x(), src.region.y(), src.region.width(), src.region.height(),
                inside.x(), inside.y(), inside.width(), inside.height(),
                g, (inside.y() - ey) * ew + (inside.x() - ex), ew);
        mirrorOutside(g, ex, ey, ew, eh, inside, frameW, frameH);

        int tw = t.width(), th = t.height();
        int origin = m * ew + m;
        for (FeatureKind kind : settings.kinds()) {
            switch (kind) {
                case GAUSSIAN -> {
                    float[] o = out.plane(f);
                    for (int y = 0; y < th; y++) {
                        System.arraycopy(g, origin + y * ew, o, y * tw, tw);
                    }
                }
                case GRADIENT_MAGNITUDE -> differences.gradientMagnitude(g, ew, origin, tw, th, out.plane(f));
                case LAPLACIAN_OF_GAUSSIAN -> differences.laplacian(g, ew, origin, tw, th, out.plane(f));
                case HESSIAN_EIGENVALUES ->
                        differences.hessianEigenvalues(g, ew, origin, tw, th, out.plane(f), out.plane(f + 1));
                case DIFFERENCE_OF_GAUSSIANS -> {
                    float[] o = out.plane(f);
                    smoother.smooth(scale.dog, frameW, frameH,
                            src.data, src.region.x(), src.region.y(), src.region.width(), src.region.height(),
                            t.x(), t.y(), tw, th, o, 0, tw);
                    differences.subtractFrom(g, ew, origin, tw, th, o);
                }
                case STRUCTURE_TENSOR_EIGENVALUES ->
                        structureTensorEigenvalues(g, ex, ey, ew, t, scale.tensor, frameW, frameH,
                                out.plane(f), out.plane(f + 1));
            }
            f += kind.outputs();
        }
    }

    /** Fills the pixels of E outside the frame with their mirror images inside it. */
    private static void mirrorOutside(float[] g, int ex, int ey, int ew, int eh, PixelRegion inside,
                                      int frameW, int frameH) {
        if (inside.x() == ex && inside.y() == ey && inside.width() == ew && inside.height() == eh) {
            return;
        }
        for (int y = inside.y(); y < inside.endY(); y++) {
            int row = (y - ey) * ew - ex;
            for (int x = ex; x < inside.x(); x++) {
                g[row + x] = g[row + GaussianSmoother.reflect(x, frameW)];
            }
            for (int x = inside.endX(); x < ex + ew; x++) {
                g[row + x] = g[row + GaussianSmoother.reflect(x, frameW)];
            }
        }
        for (int y = ey; y < ey + eh; y++) {
            if (y < inside.y() || y >= inside.endY()) {
                System.arraycopy(g, (GaussianSmoother.reflect(y, frameH) - ey) * ew, g, (y - ey) * ew, ew);
            }
        }
    }

    /**
     * Structure tensor: products of central-difference gradients over the window grown by the
     * averaging radius (clipped to the frame), averaged by a Gaussian, then eigenvalues.
     */
    private void structureTensorEigenvalues(float[] g, int ex, int ey, int ew, PixelRegion t, GaussianKernel tensor,
                                            int frameW, int frameH, float[] first, float[] second) {
        PixelRegion p = t.expand(tensor.radius, PixelRegion.of(frameW, frameH));
        int pw = p.width(), ph = p.height(), n = pw * ph;
        tensorXX = grow(tensorXX, n);
        tensorXY = grow(tensorXY, n);
        tensorYY = grow(tensorYY, n);
        differences.gradientProducts(g, ew, (p.y() - ey) * ew + (p.x() - ex), pw, ph,
                tensorXX, tensorXY, tensorYY);
        int tw = t.width(), th = t.height();
        spare = grow(spare, tw * th);
        float[] sxy = spare;
        smoother.smooth(tensor, frameW, frameH, tensorXX, p.x(), p.y(), pw, ph, t.x(), t.y(), tw, th, first, 0, tw);
        smoother.smooth(tensor, frameW, frameH, tensorYY, p.x(), p.y(), pw, ph, t.x(), t.y(), tw, th, second, 0, tw);
        smoother.smooth(tensor, frameW, frameH, tensorXY, p.x(), p.y(), pw, ph, t.x(), t.y(), tw, th, sxy, 0, tw);
        differences.tensorEigenvalues(first, sxy, second, tw, th);
    }

    private static float[] grow(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }
}
