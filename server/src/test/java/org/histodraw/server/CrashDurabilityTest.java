package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Acknowledged" means durable: a steady writer records every region creation the server answered
 * 2xx, the server process is killed with SIGKILL in the middle of the writing, started again on
 * the same data, and every acknowledged region must be there. Five kills on H2 and five on
 * PostgreSQL; on PostgreSQL the database server crashes too (an immediate stop: what it keeps only
 * in memory is gone), and its cluster runs with {@code synchronous_commit=off} as a careless
 * configuration might: HistoDraw's own sessions must still commit durably.
 */
@Tag("security")
class CrashDurabilityTest {
    static final int RUNS = 5;
    static final int WRITERS = 2;

    @Test
    void noAcknowledgedWriteIsLostWhenTheServerIsKilledOnH2(@TempDir Path dir) throws Exception {
        List<int[]> runs = crashRuns(dir.resolve("data"), Map.of(), new String[0], null);
        report("H2", runs);
    }

    @Test
    void noAcknowledgedWriteIsLostWhenTheServerAndPostgresqlCrash(@TempDir Path dir) throws Exception {
        PostgresCluster cluster = PostgresCluster.dedicated("fsync=on", "synchronous_commit=off", "full_page_writes=on");
        String url = cluster.newDatabase();
        List<int[]> runs = crashRuns(dir.resolve("data"), Map.of("HISTODRAW_DB_USER", "histodraw", "HISTODRAW_DB_PASSWORD", ""),
                new String[] {"--database", url}, cluster);
        report("PostgreSQL", runs);
    }

    private static void report(String database, List<int[]> runs) {
        int lost = 0;
        for (int i = 0; i < runs.size(); i++) {
            System.out.printf("crash test, %s, run %d: %d writes acknowledged, %d lost%n", database, i + 1, runs.get(i)[0], runs.get(i)[1]);
            lost += runs.get(i)[1];
        }
        assertThat(runs).hasSize(RUNS);
        assertThat(runs).allSatisfy(r -> assertThat(r[0]).as("writes acknowledged before the kill").isGreaterThan(10));
        assertThat(lost).as("acknowledged writes lost over " + RUNS + " kills on " + database).isZero();
    }

    /** Per run: {acknowledged in the run, of those lost}. */
    private static List<int[]> crashRuns(Path data, Map<String, String> env, String[] args, PostgresCluster cluster) throws Exception {
        ServerProcess server = ServerProcess.start(data, env, args);
        try {
            Client admin = Client.login(server.port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = admin.newSeries("Crash", "S");
            long project = admin.get("/api/v1/series/" + series).json().get("projectId").asLong();
            String job = admin.upload("/api/v1/series/" + series + "/slices", "tiny.png", AccessMatrixTest.tinyPng(), Map.of())
                    .json().get("jobId").asText();
            long slice = admin.awaitJob(job).get("sliceId").asLong();
            String token = admin.send("POST", "/api/v1/projects/" + project + "/tokens",
                    Map.of("name", "writer", "scopes", List.of("read", "write"))).json().get("token").asText();
            Set<Long> acknowledged = new HashSet<>();
            List<int[]> runs = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                Set<Long> thisRun = writeUntilKilled(server, token, slice, run, cluster);
                acknowledged.addAll(thisRun);
                server = ServerProcess.start(data, env, args);
                Set<Long> present = new HashSet<>();
                for (JsonNode f : Client.withToken(server.port, token).get("/api/v1/slices/" + slice + "/regions").json().get("features")) {
                    present.add(f.get("id").asLong());
                }
                Set<Long> lost = new HashSet<>(thisRun);
                lost.removeAll(present);
                runs.add(new int[] {thisRun.size(), lost.size()});
                assertThat(present).as("every write acknowledged since the first run").containsAll(acknowledged);
            }
            return runs;
        } finally {
            server.close();
        }
    }

    /** Writers create regions as fast as the server answers; the process is killed under them after about a second. */
    private static Set<Long> writeUntilKilled(ServerProcess server, String token, long slice, int run, PostgresCluster cluster)
            throws Exception {
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                Client c = Client.withToken(server.port, token);
                for (int i = 0; !stop.get(); i++) {
                    try {
                        Client.Response r = c.send("POST", "/api/v1/slices/" + slice + "/regions",
                                AccessMatrixTest.square((run * 7 + writer * 3 + i) % 20));
                        if (r.status() == 201) {
                            acknowledged.add(r.json().get("id").asLong());
                        }
                    } catch (UncheckedIOException e) {
                        return; // the server is gone
                    }
                }
            }, "writer-" + w);
            writers.add(t);
            t.start();
        }
        Thread.sleep(900 + 150L * run);
        server.kill();
        if (cluster != null) {
            cluster.crash();
        }
        stop.set(true);
        for (Thread t : writers) {
            t.join(30_000);
        }
        if (cluster != null) {
            cluster.restart();
        }
        return acknowledged;
    }
}
