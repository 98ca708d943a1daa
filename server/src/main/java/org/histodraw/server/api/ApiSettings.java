package org.histodraw.server.api;

import org.histodraw.server.auth.RateLimits;
import org.histodraw.server.exchange.ImportLimits;

/**
 * What the HTTP layer is configured with (from {@code ServerConfig}).
 *
 * @param iiifMaxSide  the largest IIIF picture side served
 * @param importLimits how much a region import may unpack
 * @param rateLimits   logins and cursor messages
 */
public record ApiSettings(int iiifMaxSide, ImportLimits importLimits, RateLimits rateLimits) {
}
