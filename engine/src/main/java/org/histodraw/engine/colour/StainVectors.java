package org.histodraw.engine.colour;

import java.util.Objects;

/**
 * The two stains of a bright-field slide, such as hematoxylin and eosin; colour deconvolution adds
 * their residual as the third. The presets are Ruifrok and Johnston's published vectors; a slide's
 * own can be estimated from its pixels ({@link StainEstimator}) or typed in.
 *
 * <p>Text form (as in the feature settings' {@code stains=} part): the two stains' red, green and
 * blue optical densities, the stains separated by a slash, e.g. {@code 0.65,0.704,0.286/0.072,0.99,0.105}.
 * Components are written as given, in the shortest form that reads back to the same double, so a
 * saved model deconvolves with exactly the vectors it was trained with.
 */
public record StainVectors(StainVector first, StainVector second) {

    /** Hematoxylin and eosin (Ruifrok and Johnston). */
    public static final StainVectors HEMATOXYLIN_EOSIN = new StainVectors(StainVector.HEMATOXYLIN, StainVector.EOSIN);
    /** Hematoxylin and DAB, the brown of immunohistochemistry (Ruifrok and Johnston). */
    public static final StainVectors HEMATOXYLIN_DAB = new StainVectors(StainVector.HEMATOXYLIN, StainVector.DAB);

    public StainVectors {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        StainVector.residual(first, second); // fails now, with the stains' names, if they cannot be separated
    }

    /** The deconvolution into these two stains and their residual. */
    public StainDeconvolution deconvolution() {
        return StainDeconvolution.of(first, second);
    }

    /** The larger of the two stains' angles to the other pair's, in degrees. */
    public double angleTo(StainVectors other) {
        return Math.max(first.angleTo(other.first), second.angleTo(other.second));
    }

    /** {@code r,g,b/r,g,b}, which {@link #parse} reads back to equal vectors. */
    public String toText() {
        return text(first) + "/" + text(second);
    }

    private static String text(StainVector v) {
        return number(v.red()) + "," + number(v.green()) + "," + number(v.blue());
    }

    /** Shortest text that reads back to the same double: 0.65, 1, 0.0721. */
    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e9) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /**
     * Reads {@code r,g,b/r,g,b}: two stains of three non-negative optical densities each, not all
     * zero and not of one colour. The stains are named after {@code names} (e.g. the preset they
     * replace). Spaces do not matter.
     *
     * @throws IllegalArgumentException naming what could not be read
     */
    public static StainVectors parse(String text, StainVectors names) {
        Objects.requireNonNull(text, "text");
        String[] stains = text.split("/", -1);
        if (stains.length != 2) {
            throw new IllegalArgumentException("stains '" + text.trim() + "': expected two stains as r,g,b/r,g,b");
        }
        return new StainVectors(stain(stains[0], names.first.name(), text), stain(stains[1], names.second.name(), text));
    }

    private static StainVector stain(String part, String name, String text) {
        String[] values = part.split(",", -1);
        if (values.length != 3) {
            throw new IllegalArgumentException("stains '" + text.trim() + "': " + name
                    + " needs three optical densities (red, green, blue), got '" + part.trim() + "'");
        }
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Double.parseDouble(values[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("stains '" + text.trim() + "': " + name + " has '"
                        + values[i].trim() + "', which is not a number");
            }
            if (!(v[i] >= 0) || Double.isInfinite(v[i])) {
                throw new IllegalArgumentException("stains '" + text.trim() + "': " + name
                        + " has " + values[i].trim() + "; optical densities are finite and not negative");
            }
        }
        return new StainVector(name, v[0], v[1], v[2]);
    }

    @Override
    public String toString() {
        return first.name() + " " + text(first) + " / " + second.name() + " " + text(second);
    }
}
