package org.histodraw.server.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.histodraw.server.store.InvalidInput;
import org.histodraw.server.store.Jackson;

/**
 * An upper bound of how many points a MicroDraw region's curves flatten into, worked out from its
 * JSON before the engine flattens anything: a few bytes of Paper.js JSON can describe a bézier with
 * handles a billion pixels long, which the flattening (to within a quarter pixel, up to 2^16 pieces
 * a curve) would turn into millions of points.
 *
 * <p>A cubic's control points stray at most {@code d} (its longest handle) from the chord; each
 * halving divides that by four, so it is flat to 1/4 px after {@code log4(3 d)} halvings, that is at
 * most {@code 2 sqrt(3 d)} pieces. Coordinates are scaled by the pixels per MicroDraw unit and by
 * the largest coefficient of any matrix in the region (an upper bound of every transform's stretch).
 */
final class MicroDrawBounds {
    private static final double MAX_PIECES = 1 << 16;

    private MicroDrawBounds() {
    }

    static long flattenedPoints(JsonNode region, double pixelsPerUnit) {
        double stretch = Math.max(1, largestMatrixCoefficient(region, 0));
        return points(region, pixelsPerUnit * stretch, 0);
    }

    private static double largestMatrixCoefficient(JsonNode n, int depth) {
        double max = 0;
        if (n.isObject()) {
            JsonNode m = n.get("matrix");
            if (m != null && m.isArray()) {
                for (int i = 0; i < Math.min(4, m.size()); i++) {
                    max = Math.max(max, Math.abs(m.get(i).asDouble()));
                }
            }
        }
        for (JsonNode child : children(n, depth)) {
            max = Math.max(max, largestMatrixCoefficient(child, depth + 1));
        }
        return max;
    }

    private static long points(JsonNode n, double scale, int depth) {
        if (isPoint(n)) {
            return 1;
        }
        if (n.isArray() && n.size() == 3 && isPoint(n.get(0)) && isPoint(n.get(1)) && isPoint(n.get(2))) {
            double handle = Math.max(length(n.get(1)), length(n.get(2))) * scale;
            return (long) Math.min(MAX_PIECES, Math.ceil(2 * Math.sqrt(3 * handle))) + 1;
        }
        long total = 0;
        for (JsonNode child : children(n, depth)) {
            total += points(child, scale, depth + 1);
        }
        return total;
    }

    /** The nested values, with a path given as JSON text (MicroDraw stores some that way) parsed. */
    private static Iterable<JsonNode> children(JsonNode n, int depth) {
        if (depth > 64) {
            throw new InvalidInput("a MicroDraw region nests deeper than 64 levels");
        }
        if (n.isTextual() && n.asText().startsWith("[\"")) {
            try {
                return List.of(Jackson.MAPPER.readTree(n.asText()));
            } catch (JsonProcessingException e) {
                return List.of(); // the engine's reader names the error
            }
        }
        return n;
    }

    private static boolean isPoint(JsonNode n) {
        return n.isArray() && n.size() == 2 && n.get(0).isNumber() && n.get(1).isNumber();
    }

    private static double length(JsonNode xy) {
        return Math.hypot(xy.get(0).asDouble(), xy.get(1).asDouble());
    }
}
