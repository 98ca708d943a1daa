package org.histodraw.server.api;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.histodraw.server.tiles.Tile;

/**
 * RFC 9110 conditional GET for tiles: {@code If-None-Match} (a list of ETags, weak or strong, or
 * {@code *}) decides when present; otherwise {@code If-Modified-Since} does. Unparseable dates are
 * ignored, as the RFC asks.
 */
final class ConditionalRequest {
    private ConditionalRequest() {
    }

    /** True when the client's copy is current and a 304 answers. */
    static boolean notModified(String ifNoneMatch, String ifModifiedSince, Tile tile) {
        if (ifNoneMatch != null) {
            return etagMatches(ifNoneMatch, tile.etag());
        }
        if (ifModifiedSince != null) {
            try {
                long since = ZonedDateTime.parse(ifModifiedSince.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
                return tile.lastModified() <= since;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    /** Weak comparison, as If-None-Match uses: {@code W/"x"} matches {@code "x"}. */
    static boolean etagMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.strip();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
