package org.histodraw.service.jobs;

import java.util.Objects;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.service.errors.ClientError;

/**
 * How a job runs: the layer its results go to, tile size and threads, how the traced regions are
 * cleaned (the engine's {@link PolygonCleaning}, as {@code histodraw segment} and Spark do it), and
 * the service's name for the provenance.
 */
public record JobSettings(String layer, int tileSize, int threads, PolygonCleaning cleaning, String serviceName) {
    public static final String GENERATED = "generated";

    public JobSettings {
        if (!layer.matches("[A-Za-z0-9._-]{1,64}") || layer.equals("human")) {
            throw ClientError.badRequest("results go to a generated layer (1-64 letters, digits or ._-, not human): " + layer);
        }
        if (tileSize < 64 || tileSize > 4096) {
            throw ClientError.badRequest("tile size must be 64..4096: " + tileSize);
        }
        if (threads < 1) {
            throw ClientError.badRequest("threads must be at least 1: " + threads);
        }
        Objects.requireNonNull(cleaning, "cleaning");
    }

    public static JobSettings defaults(int threads, String serviceName) {
        return new JobSettings(GENERATED, 256, threads, PolygonCleaning.defaults(), serviceName);
    }
}
