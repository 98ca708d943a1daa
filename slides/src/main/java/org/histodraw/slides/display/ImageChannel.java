package org.histodraw.slides.display;

import java.util.List;

/**
 * One channel of a slide's pixels as the file stores them: its name (an OME-TIFF's
 * {@code <Channel Name>}, "Red", "Grey"...), the colour it is shown in, and its sample type.
 *
 * @param rgb    display colour 0xRRGGBB (an OME-TIFF's {@code Color}, else white, or red, green, blue)
 * @param sample "uint8", "uint16" or "float32"
 */
public record ImageChannel(String name, int rgb, String sample) {
    public static final List<ImageChannel> RGB = List.of(new ImageChannel("Red", 0xff0000, "uint8"),
            new ImageChannel("Green", 0x00ff00, "uint8"), new ImageChannel("Blue", 0x0000ff, "uint8"));

    public ImageChannel {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a channel needs a name");
        }
        if (!List.of("uint8", "uint16", "float32").contains(sample)) {
            throw new IllegalArgumentException("sample type must be uint8, uint16 or float32: " + sample);
        }
        rgb &= 0xffffff;
    }

    /** The largest value the sample type holds (255, 65535), or NaN for floating point. */
    public double typeMax() {
        return switch (sample) {
            case "uint8" -> 255;
            case "uint16" -> 65535;
            default -> Double.NaN;
        };
    }

    /** "#rrggbb". */
    public String colour() {
        return String.format("#%06x", rgb);
    }
}
