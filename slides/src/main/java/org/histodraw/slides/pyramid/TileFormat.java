package org.histodraw.slides.pyramid;

import java.util.Locale;
import org.histodraw.engine.raster.RgbTiff;

/**
 * How tiles and IIIF images are encoded: JPEG (small, lossy; the default for slides), PNG (exact), or
 * uncompressed TIFF (exact and free to encode and decode: IIIF regions for a program that analyses
 * them, never a pyramid's tiles, so {@link #parse} does not name it).
 */
public enum TileFormat {
    JPEG("jpg", "image/jpeg"),
    PNG("png", "image/png"),
    TIFF("tif", RgbTiff.MEDIA_TYPE);

    private final String extension;
    private final String mediaType;

    TileFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    /** The file extension, also the DZI {@code Format} attribute: "jpg" or "png". */
    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** A pyramid's tile format: "jpg", "jpeg" or "png", any case. */
    public static TileFormat parse(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "jpg", "jpeg" -> JPEG;
            case "png" -> PNG;
            default -> throw new IllegalArgumentException("tile format must be jpg, jpeg or png: " + name);
        };
    }
}
