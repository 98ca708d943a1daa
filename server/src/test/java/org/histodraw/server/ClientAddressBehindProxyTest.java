package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.histodraw.server.auth.RateLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind nginx every request comes from the proxy's address: the login throttle per address must
 * count the clients nginx names in X-Forwarded-For, and only when the peer is a trusted proxy.
 */
class ClientAddressBehindProxyTest {
    static final RateLimits THREE_PER_ADDRESS = new RateLimits(10, 3, Duration.ofMinutes(10), 30, 8);

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnBudget(@TempDir Path dir) {
        try (HistoDrawServer server = HistoDrawServer.start(TestServer.config(dir).withRateLimits(THREE_PER_ADDRESS)
                .withTrustedProxies(Set.of("127.0.0.1")))) {
            for (int i = 0; i < 3; i++) {
                assertThat(login(server, "guess" + i, "10.0.0.1").statusCode()).isEqualTo(401);
            }
            assertThat(login(server, "guess", "10.0.0.1").statusCode()).as("fourth from one client").isEqualTo(429);
            assertThat(login(server, TestServer.ADMIN, "10.0.0.2").statusCode()).as("another client behind the same proxy").isEqualTo(200);
            // What a client writes into the header itself stands left of what the proxy appended.
            assertThat(login(server, "guess", "10.0.0.2, 10.0.0.1").statusCode()).as("a forged first hop changes nothing").isEqualTo(429);
        }
    }

    @Test
    void withoutATrustedProxyTheHeaderIsIgnored(@TempDir Path dir) {
        try (HistoDrawServer server = HistoDrawServer.start(TestServer.config(dir).withRateLimits(THREE_PER_ADDRESS))) {
            for (int i = 0; i < 3; i++) {
                assertThat(login(server, "guess" + i, "10.0.0." + i).statusCode()).isEqualTo(401);
            }
            assertThat(login(server, TestServer.ADMIN, "10.0.0.9").statusCode()).as("the peer is the client").isEqualTo(429);
        }
    }

    private static java.net.http.HttpResponse<byte[]> login(HistoDrawServer server, String user, String forwardedFor) {
        Client c = new Client(server.port());
        HttpRequest.Builder b = c.request("/api/v1/auth/login").header("Content-Type", "application/json").header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\""
                        + (user.equals(TestServer.ADMIN) ? TestServer.ADMIN_PASSWORD : "wrong-password") + "\"}"));
        return c.send(b).raw();
    }
}
