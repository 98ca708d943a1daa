package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Two browsers on one slice: edits and pointers travel live; a reconnect catches up. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveCollaborationTest {
    HistoDrawServer server;
    Client alice;
    Client bob;
    long project;
    long slice;

    /** A websocket that queues what it receives. */
    static final class Socket implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(Client.JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonNode next(String type) throws InterruptedException {
            long end = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < end) {
                JsonNode m = received.poll(end - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
                if (m != null && m.get("type").asText().equals(type)) {
                    return m;
                }
            }
            throw new AssertionError("no " + type + " message within 5 s");
        }

        void send(Object message) throws Exception {
            ws.sendText(Client.JSON.writeValueAsString(message), true).get(5, TimeUnit.SECONDS);
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }

    Socket connect(Client c, String query) {
        Socket s = new Socket();
        s.ws = c.http.newWebSocketBuilder().buildAsync(URI.create(c.base.replace("http", "ws") + "/api/v1/slices/" + slice + "/live" + query), s).join();
        return s;
    }

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        server = start(dir);
        Client admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        admin.send("POST", "/api/v1/users", Map.of("username", "alice", "password", "alice-password"));
        admin.send("POST", "/api/v1/users", Map.of("username", "bob", "password", "bob-password"));
        project = admin.send("POST", "/api/v1/projects", Map.of("name", "Live")).json().get("id").asLong();
        admin.send("PUT", "/api/v1/projects/" + project + "/members/alice", Map.of("role", "editor"));
        admin.send("PUT", "/api/v1/projects/" + project + "/members/bob", Map.of("role", "editor"));
        long series = admin.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        Client.Response up = admin.upload("/api/v1/series/" + series + "/slices", "tiny.png", AccessMatrixTest.tinyPng(), Map.of());
        slice = admin.awaitJob(up.json().get("jobId").asText()).get("sliceId").asLong();
        alice = Client.login(server.port(), "alice", "alice-password");
        bob = Client.login(server.port(), "bob", "bob-password");
    }

    HistoDrawServer start(Path dir) {
        return TestServer.start(dir);
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    @Test
    void anEditByOneReachesTheOtherAndReconnectCatchesUp() throws Exception {
        Socket a = connect(alice, "");
        Socket b = connect(bob, "");
        JsonNode snapshot = a.next("snapshot");
        long start = snapshot.get("seq").asLong();
        assertThat(snapshot.get("version").asLong()).isEqualTo(start);
        assertThat(b.next("snapshot").get("seq").asLong()).isEqualTo(start);

        long t0 = System.nanoTime();
        JsonNode created = alice.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(1, 1, 5, 5, "Tumor")).json();
        JsonNode seen = b.next("change");
        long micros = (System.nanoTime() - t0) / 1000;
        assertThat(micros).as("edit reaches the other browser within a second").isLessThan(1_000_000);
        assertThat(seen.get("op").asText()).isEqualTo("create");
        assertThat(seen.get("user").asText()).isEqualTo("alice");
        assertThat(seen.get("region").get("id").asLong()).isEqualTo(created.get("id").asLong());
        assertThat(seen.get("seq").asLong()).isEqualTo(start + 1);
        assertThat(a.next("change").get("seq").asLong()).as("the author hears it too").isEqualTo(start + 1);

        a.send(Map.of("type", "cursor", "x", 12.5, "y", 30));
        JsonNode cursor = b.next("cursor");
        assertThat(cursor.get("user").asText()).isEqualTo("alice");
        assertThat(cursor.get("x").asDouble()).isEqualTo(12.5);

        // Bob drops off; Alice edits twice; Bob comes back and asks for what he missed.
        long lastSeen = seen.get("seq").asLong();
        b.close();
        long id = created.get("id").asLong();
        alice.send("PUT", "/api/v1/regions/" + id, RegionsApiTest.withVersion(RegionsApiTest.box(1, 1, 7, 7, "Tumor"), 1));
        alice.send("DELETE", "/api/v1/regions/" + id + "?version=2", null);
        Socket back = connect(bob, "");
        back.next("snapshot");
        back.send(Map.of("type", "resync", "since", lastSeen));
        JsonNode first = back.next("change");
        JsonNode second = back.next("change");
        assertThat(List.of(first.get("op").asText(), second.get("op").asText())).containsExactly("update", "delete");
        assertThat(second.get("region").get("properties").get("version").asInt()).isEqualTo(3);
        assertThat(back.next("resynced").get("seq").asLong()).isEqualTo(lastSeen + 2);
        a.close();
        back.close();
    }

    @Test
    void servicesUseTheChangeFeedAndTokensOnTheSocket() throws Exception {
        Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        String token = owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "svc", "scopes", List.of("read")))
                .json().get("token").asText();
        Socket s = connect(new Client(server.port()), "?access_token=" + token);
        long seq = s.next("snapshot").get("seq").asLong();
        alice.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(50, 50, 5, 5, "Stroma"));
        assertThat(s.next("change").get("region").get("properties").get("classification").get("name").asText()).isEqualTo("Stroma");
        JsonNode feed = Client.withToken(server.port(), token).get("/api/v1/slices/" + slice + "/changes?since=" + seq).json();
        assertThat(feed.get("changes")).hasSize(1);
        assertThat(feed.get("seq").asLong()).isEqualTo(seq + 1);
        s.close();
    }

    @Test
    void strangersCannotListen() {
        Client anonymous = new Client(server.port());
        CompletableFuture<WebSocket> ws = anonymous.http.newWebSocketBuilder()
                .buildAsync(URI.create(anonymous.base.replace("http", "ws") + "/api/v1/slices/" + slice + "/live"), new Socket());
        try {
            ws.join();
            throw new AssertionError("anonymous websocket was accepted");
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
            assertThat(((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(401);
        }
    }
}
