package org.histodraw.server.tiles;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One tile's bytes as sent, with its validators: an ETag naming the pyramid and the tile (a
 * pyramid never changes once built, so the name is a strong validator) and the file's time.
 *
 * @param content      the bytes from position 0 to the limit; read them through {@link #body()} (a cached
 *                     tile's buffer is shared by every answer). Cut tiles are kept off the heap, so sending
 *                     one copies nothing on the way to the socket.
 * @param lastModified the file's modification time in epoch seconds (HTTP dates have no finer unit)
 */
public record Tile(ByteBuffer content, String mediaType, String etag, long lastModified, String lastModifiedHttp) {

    public static Tile of(byte[] bytes, String mediaType, String etag, long lastModifiedMillis) {
        long seconds = Math.floorDiv(lastModifiedMillis, 1000);
        return new Tile(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), mediaType, etag, seconds, httpDate(seconds));
    }

    /** A tile whose bytes are copied once into a buffer of their own off the heap (for tiles the cache keeps). */
    static Tile offHeap(byte[] bytes, String mediaType, String etag, long lastModified, String lastModifiedHttp) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return new Tile(direct.asReadOnlyBuffer(), mediaType, etag, lastModified, lastModifiedHttp);
    }

    /** The bytes to write, as a view of their own (its position moves as it is written; the tile's does not). */
    public ByteBuffer body() {
        return content.duplicate();
    }

    public int length() {
        return content.remaining();
    }

    /** A copy of the bytes (for answers made by the regular routes). */
    public byte[] bytes() {
        byte[] out = new byte[content.remaining()];
        content.duplicate().get(out);
        return out;
    }

    /** {@code "pyramid-level-column-row"} in quotes. */
    public static String etag(String storageKey, int level, int column, int row) {
        return "\"" + storageKey + "-" + level + "-" + column + "-" + row + "\"";
    }

    static String httpDate(long epochSeconds) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC));
    }
}
