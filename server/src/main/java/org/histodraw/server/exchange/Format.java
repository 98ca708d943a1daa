package org.histodraw.server.exchange;

import java.util.Locale;
import org.histodraw.server.store.InvalidInput;

/** The two formats regions travel in: QuPath's GeoJSON and MicroDraw's JSON. */
public enum Format {
    GEOJSON("geojson", "application/geo+json"), MICRODRAW("json", "application/json");

    private final String extension;
    private final String mediaType;

    Format(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** A format name from a request; null (look at the content) for {@code auto} or nothing when {@code allowAuto}. */
    public static Format parse(String value, boolean allowAuto) {
        if (value == null || value.isBlank()) {
            return allowAuto ? null : GEOJSON;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "geojson", "qupath" -> GEOJSON;
            case "microdraw" -> MICRODRAW;
            case "auto" -> {
                if (allowAuto) {
                    yield null;
                }
                throw new InvalidInput("format must be geojson or microdraw for an export");
            }
            default -> throw new InvalidInput("unknown format \"" + value + "\": use geojson (QuPath) or microdraw");
        };
    }
}
