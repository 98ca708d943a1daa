package org.histodraw.engine.colour;

import java.util.Objects;

/**
 * The colour of one stain as optical density in red, green and blue per amount of stain. Only its
 * direction matters to colour deconvolution, so the components are kept as given (and written back
 * as given, see {@link StainVectors#toText()}); {@link #normalised()} gives the unit vector.
 *
 * <p>The named constants are the vectors Ruifrok and Johnston measured (Anal. Quant. Cytol. Histol.
 * 23:291-299, 2001). Slides stained elsewhere differ; measure your own with a region of pure stain,
 * or estimate them from the slide ({@link StainEstimator}), and pass them to
 * {@link StainDeconvolution#of(StainVector, StainVector)}.
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
        if (Math.sqrt(red * red + green * green + blue * blue) < 1e-9) {
            throw new IllegalArgumentException("stain vector " + name + " must not be zero: "
                    + red + ", " + green + ", " + blue);
        }
    }

    /** The same stain scaled to unit length (what deconvolution uses). */
    public StainVector normalised() {
        double length = Math.sqrt(red * red + green * green + blue * blue);
        return new StainVector(name, red / length, green / length, blue / length);
    }

    /** The same colour under another name. */
    public StainVector named(String newName) {
        return new StainVector(newName, red, green, blue);
    }

    /** The angle between two stains' colours, in degrees (0 = the same colour). */
    public double angleTo(StainVector other) {
        StainVector a = normalised(), b = other.normalised();
        double cos = a.red * b.red + a.green * b.green + a.blue * b.blue;
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
    }

    /**
     * A colour orthogonal to both stains, for the third channel when only two are known: their
     * cross product (of the unit vectors), not scaled, turned into the positive octant where possible.
     */
    public static StainVector residual(StainVector first, StainVector second) {
        StainVector a = first.normalised(), b = second.normalised();
        double r = a.green * b.blue - a.blue * b.green;
        double g = a.blue * b.red - a.red * b.blue;
        double bl = a.red * b.green - a.green * b.red;
        if (Math.sqrt(r * r + g * g + bl * bl) < 1e-6) {
            throw new IllegalArgumentException("stain vectors " + first.name + " and " + second.name
                    + " have the same colour; they cannot be separated");
        }
        // Keep the residual in the positive octant where possible: optical densities are positive.
        if (r + g + bl < 0) {
            r = -r;
            g = -g;
            bl = -bl;
        }
        return new StainVector("Residual", r, g, bl);
    }
}
