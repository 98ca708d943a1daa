package org.histodraw.server.auth;

import java.nio.charset.StandardCharsets;
import org.histodraw.server.store.InvalidInput;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * bcrypt password hashes (Spring Security's implementation; salted, cost configurable). Passwords
 * longer than 72 bytes are refused because bcrypt would silently ignore the rest.
 */
public final class PasswordHasher {
    private final BCryptPasswordEncoder encoder;
    /** Checked against when the user does not exist, so that both cases take as long. */
    private final String dummyHash;

    public PasswordHasher(int cost) {
        this.encoder = new BCryptPasswordEncoder(cost);
        this.dummyHash = encoder.encode("not a password of anyone");
    }

    public String hash(String password) {
        checkAcceptable(password);
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        if (password == null || password.isEmpty()) {
            return false;
        }
        return encoder.matches(password, hash == null ? dummyHash : hash);
    }

    public static void checkAcceptable(String password) {
        if (password == null || password.length() < 8) {
            throw new InvalidInput("password must have at least 8 characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            throw new InvalidInput("password must be at most 72 bytes (a bcrypt limit)");
        }
    }
}
