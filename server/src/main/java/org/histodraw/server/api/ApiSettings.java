package org.histodraw.server.api;

import org.histodraw.server.auth.RateLimits;
import org.histodraw.server.exchange.ImportLimits;

/**
 * What the HTTP layer is configured with (from {@code ServerConfig}).
 *
 * @param iiifMaxSide    the largest IIIF picture side served
 * @param maxUploadBytes the largest slide upload accepted
 * @param importLimits   how much a region import may unpack
 * @param rateLimits     logins, cursor messages and uploads waiting per user
 */
public record ApiSettings(int iiifMaxSide, long maxUploadBytes, ImportLimits importLimits, RateLimits rateLimits) {
}
