package org.histodraw.engine.classes;

import java.util.Objects;

/**
 * One class of tissue a user labels and the forest predicts (e.g. "Nucleus"), with the colour used
 * in overlays and exported GeoJSON. {@code index} is its value in label rasters and class maps (1..255).
 */
public record ImageClass(int index, String name, int rgb) {

    public ImageClass {
        if (index < 1 || index > 255) {
            throw new IllegalArgumentException("class index must be 1..255: " + index);
        }
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("class name must not be blank");
        }
        rgb &= 0xffffff;
    }

    /** A distinct default colour for class {@code index} when the user gave none. */
    public static int defaultColour(int index) {
        int[] palette = {0xE6194B, 0x3CB44B, 0x4363D8, 0xF58231, 0x911EB4, 0x46F0F0, 0xF032E6, 0xBCF60C,
                0xFABEBE, 0x008080, 0xE6BEFF, 0x9A6324, 0xFFFAC8, 0x800000, 0xAAFFC3, 0x808000};
        return palette[(index - 1) % palette.length];
    }
}
