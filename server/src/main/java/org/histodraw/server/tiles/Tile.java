package org.histodraw.server.tiles;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One tile file's bytes as sent, with its validators: an ETag naming the pyramid and the tile (a
 * pyramid never changes once built, so the name is a strong validator) and the file's time.
 *
 * @param lastModified the file's modification time in epoch seconds (HTTP dates have no finer unit)
 */
public record Tile(byte[] bytes, String mediaType, String etag, long lastModified, String lastModifiedHttp) {

    public static Tile of(byte[] bytes, String mediaType, String etag, long lastModifiedMillis) {
        long seconds = Math.floorDiv(lastModifiedMillis, 1000);
        return new Tile(bytes, mediaType, etag, seconds, httpDate(seconds));
    }

    /** {@code "pyramid-level-column-row"} in quotes. */
    public static String etag(String storageKey, int level, int column, int row) {
        return "\"" + storageKey + "-" + level + "-" + column + "-" + row + "\"";
    }

    static String httpDate(long epochSeconds) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC));
    }
}
