package org.histodraw.slides.io;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.histodraw.slides.display.ImageChannel;

/**
 * What a slide is, as its reader found it when opening the file (QuPath's ImageServerMetadata): the
 * format, the scanner's vendor and objective, the pixel size, the levels, the file's properties, the
 * names of its associated images, and its channels. Never changes after open; {@link SlideImage}'s
 * accessors answer from it, so each reader states these facts once. Start from {@link #of} (an RGB
 * slide with nothing else known) and add what the file says with the {@code with...} methods.
 *
 * @param levels largest first, never empty; level 0 is the full resolution
 * @param rgb    true for 8-bit colour or grey shown as it is; false for channels of original values
 *               (16-bit, float, multi-channel) shown through a display
 */
public record SlideMetadata(String format, Optional<String> vendor, Optional<Double> objectivePower,
                            Optional<Double> micronsPerPixel, List<SlideLevel> levels, Map<String, String> properties,
                            List<String> associatedImages, boolean rgb, List<ImageChannel> channels) {
    public SlideMetadata {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(objectivePower, "objectivePower");
        Objects.requireNonNull(micronsPerPixel, "micronsPerPixel");
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a slide has at least one level");
        }
        properties = Map.copyOf(properties);
        associatedImages = List.copyOf(associatedImages);
        channels = List.copyOf(channels);
    }

    /** An RGB slide of these levels with no vendor, objective, properties or associated images. */
    public static SlideMetadata of(String format, List<SlideLevel> levels, Optional<Double> micronsPerPixel) {
        return new SlideMetadata(format, Optional.empty(), Optional.empty(), micronsPerPixel, levels, Map.of(), List.of(), true,
                ImageChannel.RGB);
    }

    /** The scanner as the file names it: OpenSlide's vendor string and the objective magnification. */
    public SlideMetadata withScanner(String vendor, Optional<Double> objectivePower) {
        return new SlideMetadata(format, Optional.of(vendor), objectivePower, micronsPerPixel, levels, properties,
                associatedImages, rgb, channels);
    }

    public SlideMetadata withProperties(Map<String, String> properties) {
        return new SlideMetadata(format, vendor, objectivePower, micronsPerPixel, levels, properties, associatedImages, rgb,
                channels);
    }

    public SlideMetadata withAssociatedImages(List<String> names) {
        return new SlideMetadata(format, vendor, objectivePower, micronsPerPixel, levels, properties, names, rgb, channels);
    }

    /** A slide whose pixels are these channels of original values, shown through display settings (not {@link #rgb()}). */
    public SlideMetadata withOriginalChannels(List<ImageChannel> channels) {
        return new SlideMetadata(format, vendor, objectivePower, micronsPerPixel, levels, properties, associatedImages, false,
                channels);
    }
}
