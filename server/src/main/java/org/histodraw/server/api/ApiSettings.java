package org.histodraw.server.api;

import java.util.Set;
import org.histodraw.server.auth.RateLimits;
import org.histodraw.server.exchange.ImportLimits;

/**
 * What the HTTP layer is configured with (from {@code ServerConfig}).
 *
 * @param iiifMaxSide    the largest IIIF picture side served
 * @param maxUploadBytes the largest slide upload accepted
 * @param importLimits   how much a region import may unpack
 * @param rateLimits     logins, cursor messages and uploads waiting per user
 * @param trustedProxies addresses of reverse proxies (nginx in front of several instances) whose
 *                       {@code X-Forwarded-For} names the client; empty: the peer is the client
 */
public record ApiSettings(int iiifMaxSide, long maxUploadBytes, ImportLimits importLimits, RateLimits rateLimits,
                          Set<String> trustedProxies) {
    public ApiSettings {
        trustedProxies = Set.copyOf(trustedProxies);
    }
}
