package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server instances (processes of their own) on one PostgreSQL database and one data folder,
 * behind nginx with the README's configuration, all on 127.0.0.1: edits, pointers and revocations
 * cross from one instance to the other; killing one instance (SIGKILL) mid-load loses no
 * acknowledged write, its websocket clients reconnect through nginx to the other and catch up, and
 * the ingest it was running is finished by the other. Skips (saying why) without PostgreSQL's or
 * nginx's binaries; CI installs both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceTest {
    /** A short heartbeat, so the test need not wait long for the survivor to take a dead instance's job. */
    static final List<String> JVM = List.of("-Dhistodraw.heartbeatSeconds=1");
    String url;
    ServerProcess a;
    ServerProcess b;
    Nginx proxy;
    Client adminA;
    Client alice;
    Client bob;
    long project;
    long series;
    long slice;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Nginx.binary();
        url = PostgresCluster.shared().newDatabase();
        Map<String, String> env = Map.of("HISTODRAW_DB_USER", "histodraw", "HISTODRAW_DB_PASSWORD", "");
        Path data = Files.createDirectories(dir.resolve("shared-data"));
        a = ServerProcess.start(data, env, JVM, "--database", url, "--trusted-proxy", "127.0.0.1");
        b = ServerProcess.start(data, env, JVM, "--database", url, "--trusted-proxy", "127.0.0.1");
        proxy = Nginx.start(Files.createDirectories(dir.resolve("nginx")), a.port, b.port);
        adminA = Client.login(a.port, ServerMain.ADMIN, ServerMain.ADMIN_PASSWORD);
        adminA.send("POST", "/api/v1/users", Map.of("username", "alice", "password", "alice-password"));
        adminA.send("POST", "/api/v1/users", Map.of("username", "bob", "password", "bob-password"));
        project = adminA.send("POST", "/api/v1/projects", Map.of("name", "Shared")).json().get("id").asLong();
        adminA.send("PUT", "/api/v1/projects/" + project + "/members/alice", Map.of("role", "editor"));
        adminA.send("PUT", "/api/v1/projects/" + project + "/members/bob", Map.of("role", "editor"));
        series = adminA.send("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "S")).json().get("id").asLong();
        Client.Response up = adminA.upload("/api/v1/series/" + series + "/slices", "tiny.png", AccessMatrixTest.tinyPng(), Map.of());
        slice = adminA.awaitJob(up.json().get("jobId").asText()).get("sliceId").asLong();
        alice = Client.login(a.port, "alice", "alice-password");
        bob = Client.login(b.port, "bob", "bob-password");
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {proxy, a, b}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    @Order(1)
    void anEditOnOneInstanceReachesTheWatchersOfTheOtherWithinASecond() throws Exception {
        LiveSocket onA = LiveSocket.connect(alice, slice, null);
        LiveSocket onB = LiveSocket.connect(bob, slice, null);
        long start = onA.next("snapshot").get("seq").asLong();
        onB.next("snapshot");
        long worstMicros = 0;
        long lastSeq = start;
        for (int i = 0; i < 10; i++) {
            // Alternately: Alice writes on A and Bob watches on B, then the other way round.
            boolean fromA = i % 2 == 0;
            Client writer = fromA ? alice : bob;
            LiveSocket other = fromA ? onB : onA;
            long t0 = System.nanoTime();
            JsonNode created = writer.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(10 * i, 5, 5, 5, "Tumor")).json();
            JsonNode seen = other.next("change");
            worstMicros = Math.max(worstMicros, (System.nanoTime() - t0) / 1000);
            assertThat(seen.get("region").get("id").asLong()).isEqualTo(created.get("id").asLong());
            assertThat(seen.get("seq").asLong()).as("commits arrive in order, none skipped").isEqualTo(lastSeq + 1);
            assertThat(seen.get("user").asText()).isEqualTo(fromA ? "alice" : "bob");
            lastSeq = seen.get("seq").asLong();
            assertThat((fromA ? onA : onB).next("change").get("seq").asLong()).as("the writer's own instance too").isEqualTo(lastSeq);
        }
        assertThat(worstMicros).as("slowest edit from one instance to a watcher of the other, in µs").isLessThan(1_000_000);

        onB.send("{\"type\":\"cursor\",\"x\":12.5,\"y\":30}");
        JsonNode cursor = onA.next("cursor");
        assertThat(cursor.get("user").asText()).isEqualTo("bob");
        assertThat(cursor.get("x").asDouble()).isEqualTo(12.5);
        onA.close();
        onB.close();
    }

    @Test
    @Order(2)
    void aTokenRevokedOnOneInstanceStopsWorkingOnTheOtherAtOnce() throws Exception {
        JsonNode made = adminA.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", "svc", "scopes", List.of("read"))).json();
        Client onB = Client.withToken(b.port, made.get("token").asText());
        assertThat(onB.get("/api/v1/slices/" + slice + "/regions").status()).isEqualTo(200); // now cached on B
        assertThat(adminA.send("DELETE", "/api/v1/projects/" + project + "/tokens/" + made.get("id").asLong(), null).status())
                .isBetween(200, 204);
        long t0 = System.nanoTime();
        int status = 0;
        while (System.nanoTime() - t0 < 5_000_000_000L && (status = onB.get("/api/v1/slices/" + slice + "/regions").status()) == 200) {
            Thread.sleep(20);
        }
        assertThat(status).isEqualTo(401);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until B refuses the token A revoked (its cache keeps 10 s)")
                .isLessThan(1000);
    }

    @Test
    @Order(3)
    void killingAnInstanceMidLoadLosesNoAcknowledgedWriteAndItsClientsCatchUpThroughTheProxy() throws Exception {
        // Logged in first, then connected one after the other: nginx's round robin puts every
        // other websocket on the instance about to be killed.
        List<Client> browsers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            browsers.add(Client.login(proxy.port, i % 2 == 0 ? "alice" : "bob", i % 2 == 0 ? "alice-password" : "bob-password"));
        }
        List<Watcher> watchers = new ArrayList<>();
        for (Client c : browsers) {
            watchers.add(new Watcher(c));
        }
        // A slide big enough that its pyramid is still being built on A when A is killed.
        Client.Response up = adminA.upload("/api/v1/series/" + series + "/slices", "big.png", BadSlides.png(5000, 4000), Map.of());
        assertThat(up.status()).as(up.toString()).isEqualTo(202);
        String jobId = up.json().get("jobId").asText();

        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            Client writer = Client.login(proxy.port, w == 0 ? "alice" : "bob", w == 0 ? "alice-password" : "bob-password");
            int n = w;
            Thread t = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        Client.Response r = writer.send("POST", "/api/v1/slices/" + slice + "/regions",
                                RegionsApiTest.box(1000 + i % 100 * 10, 100 + n * 50, 4, 4, "Tumor"));
                        if (r.status() == 201 || r.status() == 200) {
                            acknowledged.add(r.json().get("id").asLong());
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        refused.incrementAndGet(); // the connection broke: not acknowledged
                    }
                }
            }, "writer-" + w);
            t.start();
            writers.add(t);
        }
        Thread.sleep(1500);
        int before = acknowledged.size();
        Client onB = Client.login(b.port, ServerMain.ADMIN, ServerMain.ADMIN_PASSWORD);
        boolean ingestRunningAtKill = onB.get("/api/v1/jobs/" + jobId).json().get("state").asText().equals("running");
        a.kill();
        Thread.sleep(2500);
        stop.set(true);
        for (Thread t : writers) {
            t.join(10_000);
        }
        assertThat(before).as("writes acknowledged before the kill").isPositive();
        assertThat(acknowledged.size()).as("writes acknowledged after the kill, by the survivor").isGreaterThan(before);

        Client survivor = Client.login(proxy.port, "alice", "alice-password");
        for (long id : acknowledged) {
            assertThat(survivor.get("/api/v1/regions/" + id).status()).as("acknowledged region " + id).isEqualTo(200);
        }
        System.out.printf("kill -9 mid-load: %d writes acknowledged (%d before the kill), %d refused or broken; %d websocket "
                + "connections for %d clients%n", acknowledged.size(), before, refused.get(),
                watchers.stream().mapToInt(w -> w.connections.get()).sum(), watchers.size());
        assertThat(watchers.stream().mapToInt(w -> w.connections.get()).sum()).as("the killed instance's clients reconnected")
                .isGreaterThan(watchers.size());
        for (Watcher w : watchers) {
            w.awaitAll(acknowledged);
            w.close();
        }

        // The ingest A was running: B takes it over once A's heartbeat is missed, and builds it again.
        long t0 = System.nanoTime();
        JsonNode job = survivor.get("/api/v1/jobs/" + jobId).json();
        while (job.get("state").asText().equals("running") && System.nanoTime() - t0 < 180_000_000_000L) {
            sleep(200);
            job = survivor.get("/api/v1/jobs/" + jobId).json();
        }
        System.out.printf("ingest of the killed instance: %s after %.1f s (running at the kill: %s), %s%n", job.get("state").asText(),
                (System.nanoTime() - t0) / 1e9, ingestRunningAtKill, job);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("done");
        assertThat(survivor.get("/slides/" + job.get("sliceId").asLong() + "/slide.dzi").status()).isEqualTo(200);
        if (ingestRunningAtKill) {
            try (Connection c = DriverManager.getConnection(url, "histodraw", "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT attempts FROM ingest_jobs WHERE id = '" + jobId + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the job was built again by the survivor").isEqualTo(2);
            }
        }
    }

    /**
     * A browser's live link through the proxy, as the viewer's LiveLink does it: on a drop it
     * reconnects and asks for what it missed since the last commit it saw.
     */
    final class Watcher implements WebSocket.Listener {
        final Client client;
        final Set<Long> created = ConcurrentHashMap.newKeySet();
        final AtomicLong since = new AtomicLong(-1);
        final AtomicInteger connections = new AtomicInteger();
        final LinkedBlockingQueue<String> problems = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean closed;
        private volatile WebSocket ws;

        Watcher(Client client) {
            this.client = client;
            connect();
        }

        private void connect() {
            // What it saw before this connection: the new instance's snapshot may arrive before the resync goes out.
            long resumeFrom = since.get();
            while (!closed) {
                try {
                    ws = client.http.newWebSocketBuilder().buildAsync(URI.create(client.base.replace("http", "ws") + "/api/v1/slices/"
                            + slice + "/live"), this).get(10, TimeUnit.SECONDS);
                    connections.incrementAndGet();
                    if (resumeFrom >= 0) {
                        ws.sendText("{\"type\":\"resync\",\"since\":" + resumeFrom + "}", true);
                    }
                    return;
                } catch (Exception e) {
                    sleep(200); // the proxy has not noticed the dead instance yet, or no instance answers
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = Client.JSON.readTree(partial.toString());
                    String type = m.path("type").asText();
                    if (type.equals("snapshot") && since.get() < 0 || type.equals("change") || type.equals("resynced")) {
                        since.accumulateAndGet(m.get("seq").asLong(), Math::max);
                    }
                    if (type.equals("change") && m.get("op").asText().equals("create")) {
                        created.add(m.get("region").get("id").asLong());
                    } else if (type.equals("reload")) {
                        problems.add("asked to reload: more than " + 1000 + " changes missed");
                    }
                } catch (Exception e) {
                    problems.add("not JSON: " + partial);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            reconnect();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            reconnect();
        }

        private void reconnect() {
            if (!closed) {
                partial.setLength(0);
                Thread t = new Thread(this::connect, "watcher-reconnect");
                t.setDaemon(true);
                t.start();
            }
        }

        /** Every acknowledged region reached this client (live or by its resync), within 10 s. */
        void awaitAll(Set<Long> acknowledged) {
            long end = System.currentTimeMillis() + 10_000;
            while (!created.containsAll(acknowledged) && System.currentTimeMillis() < end) {
                sleep(50);
            }
            Set<Long> missing = new java.util.TreeSet<>(acknowledged);
            missing.removeAll(created);
            assertThat(problems).isEmpty();
            assertThat(missing).as("acknowledged regions this client never heard of").isEmpty();
        }

        void close() {
            closed = true;
            if (ws != null && !ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
