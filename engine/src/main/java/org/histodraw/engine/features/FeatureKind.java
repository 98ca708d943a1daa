package org.histodraw.engine.features;

import java.util.Locale;

/**
 * The filters of the feature bank. Each works on the image smoothed by a Gaussian of the given sigma
 * (truncated at 4 sigma), so every feature exists once per sigma and input channel. Derivatives are
 * finite differences of the smoothed image, as in scikit-image.
 */
public enum FeatureKind {
    /** Smoothed intensity. */
    GAUSSIAN("gaussian", "Gaussian", 1),
    /** Edge strength: magnitude of the Sobel gradient, scaled so that a ramp of slope a gives a. */
    GRADIENT_MAGNITUDE("gradient", "gradient magnitude", 1),
    /** Blob and spot response: the 5-point Laplacian; negative on bright blobs. */
    LAPLACIAN_OF_GAUSSIAN("log", "Laplacian of Gaussian", 1),
    /** Band-pass: Gaussian at sigma minus Gaussian at {@value #DOG_RATIO} sigma (as ilastik). */
    DIFFERENCE_OF_GAUSSIANS("dog", "difference of Gaussians", 1),
    /** Ridges and valleys: the two eigenvalues of the Hessian, larger first. */
    HESSIAN_EIGENVALUES("hessian", "Hessian eigenvalue", 2),
    /**
     * Texture orientation strength: the eigenvalues (larger first) of the gradient's outer product
     * averaged with a Gaussian of {@value #STRUCTURE_TENSOR_OUTER_RATIO} sigma (as ilastik).
     */
    STRUCTURE_TENSOR_EIGENVALUES("structure", "structure tensor eigenvalue", 2);

    /** Inner-to-outer sigma ratio of the difference of Gaussians. */
    public static final double DOG_RATIO = 0.66;
    /** Averaging sigma of the structure tensor, relative to the derivative sigma. */
    public static final double STRUCTURE_TENSOR_OUTER_RATIO = 0.5;

    private final String token;
    private final String displayName;
    private final int outputs;

    FeatureKind(String token, String displayName, int outputs) {
        this.token = token;
        this.displayName = displayName;
        this.outputs = outputs;
    }

    /** Planes this kind produces per sigma and channel. */
    public int outputs() {
        return outputs;
    }

    /** Short name used in the settings text form, e.g. {@code hessian}. */
    public String token() {
        return token;
    }

    /** Name for people, e.g. {@code Hessian eigenvalue}. */
    public String displayName() {
        return displayName;
    }

    /**
     * Pixels of context this kind needs on each side at {@code sigma}: the Gaussian radius
     * {@code floor(4 sigma + 0.5)}, plus 1 for a finite difference, plus the averaging radius for the
     * structure tensor.
     */
    public int halo(double sigma) {
        int smooth = GaussianKernel.radius(sigma);
        return switch (this) {
            case GAUSSIAN, DIFFERENCE_OF_GAUSSIANS -> smooth;
            case GRADIENT_MAGNITUDE, LAPLACIAN_OF_GAUSSIAN, HESSIAN_EIGENVALUES -> smooth + 1;
            case STRUCTURE_TENSOR_EIGENVALUES -> smooth + 1 + GaussianKernel.radius(sigma * STRUCTURE_TENSOR_OUTER_RATIO);
        };
    }

    /** Pixels of the smoothed image needed around each output pixel (the halo minus the smoothing). */
    int smoothedMargin(double sigma) {
        return switch (this) {
            case GAUSSIAN, DIFFERENCE_OF_GAUSSIANS -> 0;
            default -> halo(sigma) - GaussianKernel.radius(sigma);
        };
    }

    /** The kind with this token or enum name, case-insensitive. */
    public static FeatureKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (FeatureKind k : values()) {
            if (k.token.equals(t) || k.name().toLowerCase(Locale.ROOT).equals(t)) {
                return k;
            }
        }
        StringBuilder known = new StringBuilder();
        for (FeatureKind k : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(k.token);
        }
        throw new IllegalArgumentException("unknown feature kind '" + text.trim() + "' (known: " + known + ")");
    }
}
