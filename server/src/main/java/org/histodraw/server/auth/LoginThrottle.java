package org.histodraw.server.auth;

import org.histodraw.server.store.LoginAttempts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password guessing and login floods, before any password is hashed (bcrypt makes each
 * check a CPU load): at most {@link RateLimits#loginsPerAddress()} attempts from one address and
 * {@link RateLimits#loginFailuresPerAccount()} wrong passwords for one account within
 * {@link RateLimits#loginWindow()}. Past that a login answers 429 with the seconds until the oldest
 * counted attempt leaves the window, whatever the password. A successful login clears the
 * account's failures. Attempts are counted in the database ({@link LoginAttempts}), so every
 * server instance counts the same.
 */
public final class LoginThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    private final LoginAttempts attempts;
    private final RateLimits limits;

    public LoginThrottle(LoginAttempts attempts, RateLimits limits) {
        this.attempts = attempts;
        this.limits = limits;
    }

    /** Counts an attempt of {@code address} on {@code username}; fails with 429 when either limit is reached. */
    public void attempt(String username, String address) {
        long now = System.currentTimeMillis();
        long window = limits.loginWindow().toMillis();
        check(account(username), limits.loginFailuresPerAccount(), now, window,
                "too many wrong passwords for " + username);
        check(address(address), limits.loginsPerAddress(), now, window, "too many logins from your address");
        attempts.record(address(address), now, now - window);
    }

    public void failed(String username) {
        long now = System.currentTimeMillis();
        attempts.record(account(username), now, now - limits.loginWindow().toMillis());
    }

    public void succeeded(String username) {
        attempts.clear(account(username));
    }

    private void check(String bucket, int max, long now, long window, String what) {
        LoginAttempts.Count c = attempts.since(bucket, now - window);
        if (c.attempts() >= max) {
            long wait = (c.oldest() + window - now + 999) / 1000;
            LOG.warn("login throttled: {} ({} attempts in the window)", bucket.replaceAll("\\p{Cntrl}", "?"), c.attempts());
            throw new TooManyAttempts(what + " (at most " + max + " in " + limits.loginWindow().toMinutes()
                    + " minutes); try again in " + Math.max(1, wait) + " s", wait);
        }
    }

    private static String account(String username) {
        return "account:" + username;
    }

    private static String address(String address) {
        return "address:" + address;
    }
}
