package org.histodraw.server.auth;

import java.time.Duration;

/**
 * How often, and how much at once, callers may try things that cost the server or invite guessing.
 *
 * @param loginFailuresPerAccount wrong passwords for one account within {@code loginWindow}; the
 *                                next attempt waits for the oldest to leave the window (bcrypt
 *                                makes a login a CPU load, and guessing needs many)
 * @param loginsPerAddress        login attempts (right or wrong) from one address within the window
 * @param loginWindow             the window both login limits count in
 * @param cursorsPerSecond        pointer messages one websocket connection may send per second
 *                                (more are dropped, and the sender is told once a second)
 * @param uploadsPerUser          slide uploads of one user waiting or being ingested at a time
 */
public record RateLimits(int loginFailuresPerAccount, int loginsPerAddress, Duration loginWindow, int cursorsPerSecond,
                         int uploadsPerUser) {
    public static final RateLimits DEFAULT = new RateLimits(10, 300, Duration.ofMinutes(10), 30, 8);

    public RateLimits {
        if (loginFailuresPerAccount < 1 || loginsPerAddress < 1 || cursorsPerSecond < 1 || uploadsPerUser < 1) {
            throw new IllegalArgumentException("rate limits must be positive");
        }
        if (loginWindow == null || loginWindow.isNegative() || loginWindow.isZero()) {
            throw new IllegalArgumentException("loginWindow must be positive");
        }
    }
}
