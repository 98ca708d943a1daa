package org.histodraw.slides.pyramid;

import java.util.Locale;

/** How pyramid tiles are encoded: JPEG (small, lossy; the default for slides) or PNG (exact). */
public enum TileFormat {
    JPEG("jpg", "image/jpeg"),
    PNG("png", "image/png");

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

    /** "jpg", "jpeg" or "png", any case. */
    public static TileFormat parse(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "jpg", "jpeg" -> JPEG;
            case "png" -> PNG;
            default -> throw new IllegalArgumentException("tile format must be jpg, jpeg or png: " + name);
        };
    }
}
