package org.histodraw.engine.features;

import java.util.List;
import org.histodraw.engine.colour.StainDeconvolution;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * The features of one resolution of a slide: every kind at every sigma on every channel of the
 * RGB raster it is given, which is treated as the whole image (its borders are mirrored). The
 * {@link FeatureBank} runs one of these on the slide's own pixels and one on each coarser level.
 *
 * <p>Output order: channel, then sigma, then kind, then the kind's outputs, written into the
 * output raster's planes from a given first plane on.
 *
 * <p>Not thread-safe: holds scratch planes, grown when needed.
 */
final class LevelFeatures {
    private final List<FeatureKind> kinds;
    private final FeatureSettings settings;
    private final ChannelSet channels;
    private final StainDeconvolution stains;
    /** Densities of this level's means of 8-bit values, remembered (coarser levels are off the 8-bit levels). */
    private final StainDeconvolution.DensityMemo densities = new StainDeconvolution.DensityMemo();
    private final boolean standardised;
    private final int featureCount;
    private final int halo;
    private final int outputsPerScale;
    private final Scale[] scales;
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

    LevelFeatures(FeatureSettings settings, StainDeconvolution stains) {
        this.kinds = settings.kinds();
        this.settings = settings;
        this.channels = settings.channels();
        this.stains = stains;
        this.standardised = settings.normalisation() == Normalisation.SLIDE;
        int perScale = 0;
        for (FeatureKind k : kinds) {
            perScale += k.outputs();
        }
        this.outputsPerScale = perScale;
        List<Double> sigmas = settings.sigmas();
        this.featureCount = settings.channelCount() * sigmas.size() * perScale;
        this.halo = settings.levelHalo();
        scales = new Scale[sigmas.size()];
        for (int i = 0; i < scales.length; i++) {
            double s = sigmas.get(i);
            int margin = 0;
            for (FeatureKind k : kinds) {
                margin = Math.max(margin, k.smoothedMargin(s));
            }
            scales[i] = new Scale(s, new GaussianKernel(s),
                    new GaussianKernel(s * FeatureKind.DOG_RATIO),
                    new GaussianKernel(s * FeatureKind.STRUCTURE_TENSOR_OUTER_RATIO), margin);
        }
    }

    /** Planes this level writes. */
    int featureCount() {
        return featureCount;
    }

    /** Pixels of this level's context needed on each side of a window. */
    int halo() {
        return halo;
    }

    /**
     * Features of the pixels of {@code window} (in {@code rgb}'s coordinates) into the planes
     * {@code first ...} of {@code out}, which has the window's size. {@code rgb} is the image as far
     * as it matters: where the window grown by the halo leaves it, it is mirrored.
     *
     * @param slide the channel statistics to standardise by, or null without standardisation
     */
    void compute(Raster rgb, PixelRegion window, Raster out, int first, ChannelStatistics slide) {
        int frameW = rgb.width(), frameH = rgb.height();
        PixelRegion frame = PixelRegion.of(frameW, frameH);
        PixelRegion needed = window.expand(halo, frame);
        int n = (int) needed.area();
        if (channels.stainCount() > 0) {
            for (int s = 0; s < channels.stainCount(); s++) {
                stainPlanes[s] = grow(stainPlanes[s], n);
            }
            stains.deconvolve(rgb, needed.x(), needed.y(), needed.width(), needed.height(), stainPlanes, densities);
        }

        int rgbChannels = channels == ChannelSet.IMAGE ? settings.channelCount() : channels.includesRgb() ? 3 : 0;
        for (int c = 0; c < settings.channelCount(); c++) {
            Plane src;
            int input = FeatureBank.inputPlane(settings, c);
            if (c >= rgbChannels) {
                src = new Plane(stainPlanes[c - rgbChannels], needed);
            } else if (standardised) {
                // The caller's plane is not ours to change: the part in reach is copied.
                rgbScratch = grow(rgbScratch, n);
                copy(rgb.plane(input), frameW, needed, rgbScratch);
                src = new Plane(rgbScratch, needed);
            } else {
                src = new Plane(rgb.plane(input), frame);
            }
            if (standardised) {
                // Once on the input, before filtering: every feature then comes out standardised.
                standardise(src.data(), n, slide.mean(c), slide.scale(c));
            }
            for (int si = 0; si < scales.length; si++) {
                computeScale(src, frameW, frameH, window, scales[si], out,
                        first + (c * scales.length + si) * outputsPerScale);
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
        for (FeatureKind kind : kinds) {
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
