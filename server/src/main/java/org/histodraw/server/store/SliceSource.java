package org.histodraw.server.store;

import java.util.List;

/**
 * Where a slice's pixels are read from, and what the file says about itself.
 *
 * @param kind             {@link #FILE} (a slide file read in place) or {@link #PYRAMID} (a Deep Zoom folder)
 * @param file             relative to the server's slides folder when stored there, absolute when linked
 * @param linked           true for a file referenced in place ({@code ingest --link}); never deleted by the server
 * @param format           "Aperio SVS", "tiled TIFF", "PNG", "Deep Zoom"...
 * @param vendor           OpenSlide's vendor name, or null
 * @param objectivePower   the scanner's magnification, or null
 * @param associatedImages names of the associated images the file holds (label, macro, thumbnail...)
 */
public record SliceSource(String kind, String file, boolean linked, String format, String vendor, Double objectivePower,
                          List<String> associatedImages) {
    public static final String FILE = "file";
    public static final String PYRAMID = "pyramid";

    public SliceSource {
        if (!FILE.equals(kind) && !PYRAMID.equals(kind)) {
            throw new IllegalArgumentException("slice source kind must be file or pyramid: " + kind);
        }
        associatedImages = associatedImages == null ? List.of() : List.copyOf(associatedImages);
    }

    /** A pyramid built by an earlier version, under the slice's storage key. */
    public static SliceSource pyramid(String storageKey) {
        return new SliceSource(PYRAMID, storageKey, false, "Deep Zoom", null, null, List.of());
    }
}
