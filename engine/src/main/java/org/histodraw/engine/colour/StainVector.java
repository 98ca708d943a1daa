package org.histodraw.engine.colour;

import java.util.Objects;

/**
 * The colour of one stain as optical density in red, green and blue per unit of stain, scaled to
 * unit length (only its direction matters to colour deconvolution).
 *
 * <p>The named constants are the vectors Ruifrok and Johnston measured (Anal. Quant. Cytol. Histol.
 * 23:291-299, 2001). Slides stained elsewhere differ; measure your own with a region of pure stain
 * and pass them to {@link StainDeconvolution#of(StainVector, StainVector)}.
 */
public record StainVector(String name, double red, double green, double blue) {

    public static final StainVector HEMATOXYLIN = new StainVector("Hematoxylin", 0.650, 0.704, 0.286);
    public static final StainVector EOSIN = new StainVector("Eosin", 0.072, 0.990, 0.105);
    public static final StainVector DAB = new StainVector("DAB", 0.268, 0.570, 0.776);

    public StainVector {
        Objects.requireNonNull(name, "name");
        if (!Double.isFinite(red) || !Double.isFinite(green) || !Double.isFinite(blue)) {
            throw new IllegalArgumentException("stain vector " + name + " must be finite: "
                    + red + ", " + green + ", " + blue);
        }
        double length = Math.sqrt(red * red + green * green + blue * blue);
        if (length < 1e-9) {
            throw new IllegalArgumentException("stain vector " + name + " must not be zero: "
                    + red + ", " + green + ", " + blue);
        }
        red /= length;
        green /= length;
        blue /= length;
    }

    /** The stain whose colour is orthogonal to both, for the third channel when only two are known. */
    public static StainVector residual(StainVector first, StainVector second) {
        double r = first.green * second.blue - first.blue * second.green;
        double g = first.blue * second.red - first.red * second.blue;
        double b = first.red * second.green - first.green * second.red;
        if (Math.sqrt(r * r + g * g + b * b) < 1e-6) {
            throw new IllegalArgumentException("stain vectors " + first.name + " and " + second.name
                    + " have the same colour; they cannot be separated");
        }
        // Keep the residual in the positive octant where possible: optical densities are positive.
        if (r + g + b < 0) {
            r = -r;
            g = -g;
            b = -b;
        }
        return new StainVector("Residual", r, g, b);
    }
}
