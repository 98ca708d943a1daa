package org.histodraw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.histodraw.service.access.ServiceLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service authenticates every caller and acts with the caller's own rights: no token, 401;
 * another project's token sees nothing of this one; a viewer's token trains but neither saves
 * models nor starts jobs; a Host header of another site (DNS rebinding) is refused; settings and
 * requests beyond the limits are refused at once (120 sigmas, 2,000 trees, too many requests at a
 * time, too many jobs); a job acts with a job token of its own, revoked when it ends.
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceSecurityTest {
    static final ServiceLimits LIMITS = new ServiceLimits(200, 30, 10, 32, 120, 50, 1, 2, 1, 20, 2, 64);
    AnnotationServer server;
    SegmentationService service;
    String base;
    TestApi owner;
    String viewerToken;
    String strangerToken;
    long strangerSeries;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        List<SyntheticSeries.Slide> slides = SyntheticSeries.make(3, 256, 9);
        server = new AnnotationServer(dir.resolve("server")).project("Secure", slides.stream().map(SyntheticSeries.Slide::png).toList());
        server.draw(server.slices.get(0), slides.get(0).regions());
        TestApi admin = TestApi.login(server.url, "admin", "admin-password");
        admin.send("POST", "/api/v1/users", Map.of("username", "vera", "password", "vera-password")).ok();
        admin.send("POST", "/api/v1/users", Map.of("username", "stranger", "password", "stranger-password")).ok();
        server.owner.send("PUT", "/api/v1/projects/" + server.project + "/members/vera", Map.of("role", "viewer")).ok();
        TestApi vera = TestApi.login(server.url, "vera", "vera-password");
        viewerToken = vera.send("POST", "/api/v1/auth/service-token", Map.of("project", server.project)).ok().get("token").asText();
        TestApi stranger = TestApi.login(server.url, "stranger", "stranger-password");
        long other = stranger.send("POST", "/api/v1/projects", Map.of("name", "Elsewhere")).ok().get("id").asLong();
        strangerSeries = stranger.send("POST", "/api/v1/projects/" + other + "/series", Map.of("name", "S")).ok().get("id").asLong();
        strangerToken = stranger.send("POST", "/api/v1/auth/service-token", Map.of("project", other)).ok().get("token").asText();
        service = SegmentationService.start(ServiceConfig.of(URI.create(server.url), dir.resolve("service")).toBuilder().port(0)
                .threads(1).limits(LIMITS).build());
        base = "http://127.0.0.1:" + service.port();
        owner = TestApi.withToken(base, server.token);
    }

    @AfterAll
    void tearDown() {
        service.close();
        server.close();
    }

    // ---- issue 15.5: authentication

    @Test
    void anonymousCallersGet401AndOnlyThePageIsOpen() {
        TestApi anonymous = new TestApi(base);
        for (String path : List.of("/api/projects", "/api/jobs", "/api/models", "/api/state", "/api/series/" + server.series,
                "/api/slices/" + server.slices.get(0) + "/classes", "/preview/" + server.slices.get(0) + "/slide.dzi",
                "/slides/" + server.slices.get(0) + "/slide.dzi", "/slides/" + server.slices.get(0) + "/slide_files/0/0_0.jpg")) {
            TestApi.Response r = anonymous.get(path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.json().get("error").asText()).as(path).contains("Bearer");
        }
        for (String path : List.of("/api/train", "/api/jobs", "/api/models")) {
            assertThat(anonymous.send("POST", path, Map.of("slices", server.slices, "series", server.series)).status()).as(path).isEqualTo(401);
        }
        assertThat(TestApi.withToken(base, "hdt_not-a-token").get("/api/projects").status()).isEqualTo(401);
        assertThat(anonymous.get("/").status()).isEqualTo(200);
        assertThat(anonymous.get("/api/info").ok().get("server").asText()).isEqualTo(server.url);
    }

    @Test
    void aCallerSeesOnlyWhatTheirTokenMaySee() {
        TestApi stranger = TestApi.withToken(base, strangerToken);
        assertThat(stranger.get("/api/projects").ok().toString()).doesNotContain("Secure").contains("Elsewhere");
        assertThat(stranger.get("/api/series/" + server.series).status()).isEqualTo(403);
        assertThat(stranger.get("/slides/" + server.slices.get(0) + "/slide.dzi").status()).isEqualTo(403);
        assertThat(stranger.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false)).status())
                .isEqualTo(403);
        assertThat(owner.get("/api/series/" + strangerSeries).status()).isEqualTo(403);
    }

    @Test
    void aViewersTokenTrainsButNeitherSavesModelsNorStartsJobs() {
        TestApi viewer = TestApi.withToken(base, viewerToken);
        assertThat(viewer.get("/api/me").ok().get("canWrite").asBoolean()).isFalse();
        viewer.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false)).ok();
        TestApi.Response save = viewer.send("POST", "/api/models", Map.of("name", "not-mine"));
        assertThat(save.status()).isEqualTo(403);
        TestApi.Response job = viewer.send("POST", "/api/jobs", Map.of("series", server.series));
        assertThat(job.status()).isEqualTo(403);
        assertThat(job.json().get("error").asText()).contains("write");
    }

    @Test
    void modelsAndJobsBelongToTheirProject() {
        owner.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false)).ok();
        owner.send("POST", "/api/models", Map.of("name", "secure-model")).ok();
        TestApi stranger = TestApi.withToken(base, strangerToken);
        assertThat(stranger.get("/api/models").ok()).isEmpty();
        assertThat(stranger.send("POST", "/api/models/secure-model/0/use", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void aHostHeaderOfAnotherSiteIsRefused() throws Exception {
        String evil = raw("/api/projects", "evil.example:" + service.port());
        assertThat(evil).startsWith("HTTP/1.1 421").contains("evil.example").contains("\"error\"");
        assertThat(raw("/", "rebound.attacker.test")).as("the page too").startsWith("HTTP/1.1 421");
        assertThat(raw("/api/projects", "localhost:" + service.port())).startsWith("HTTP/1.1 200");
        assertThat(raw("/api/projects", "127.0.0.1:" + service.port())).startsWith("HTTP/1.1 200");
    }

    /** A GET with the owner's token and the given Host header (java.net.http will not set Host), as raw text. */
    private String raw(String path, String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", service.port())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + server.token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- issues 15.5 and 15.9: limits

    @Test
    void a120SigmaFeatureBankAndA2000TreeForestAreRefusedAtOnce() {
        StringBuilder sigmas = new StringBuilder();
        for (int i = 1; i <= 120; i++) {
            sigmas.append(i == 1 ? "" : ",").append(i * 0.25);
        }
        long t0 = System.nanoTime();
        TestApi.Response many = owner.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false,
                "features", "kinds=gaussian,gradient,hessian;sigmas=" + sigmas + ";channels=rgb"));
        TestApi.Response trees = owner.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false,
                "trees", 2000));
        TestApi.Response deep = owner.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false,
                "depth", 10_000));
        TestApi.Response wide = owner.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false,
                "features", "kinds=gaussian;sigmas=60;channels=rgb"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.json().get("error").asText()).contains("sigmas");
        assertThat(trees.status()).isEqualTo(400);
        assertThat(trees.json().get("error").asText()).contains("trees");
        assertThat(deep.status()).isEqualTo(400);
        assertThat(wide.status()).isEqualTo(400);
        assertThat(seconds).as("refused before any work").isLessThan(5);
    }

    @Test
    void tooManyRequestsAtOnceGet429WithRetryAfter() throws Exception {
        owner.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false)).ok();
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<int[]>> answers = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            int k = i;
            answers.add(pool.submit(() -> {
                TestApi c = TestApi.withToken(base, server.token);
                TestApi.Response r = c.get("/preview/" + server.slices.get(1) + "/slide_files/8/" + (k % 2) + "_" + (k / 2 % 2)
                        + ".png?kind=" + (k % 3 == 0 ? "uncertainty" : "classes") + "&v=" + k);
                if (r.status() == 429) {
                    assertThat(r.json().get("error").asText()).contains("requests");
                }
                return new int[] {r.status()};
            }));
        }
        int ok = 0, refused = 0;
        for (Future<int[]> f : answers) {
            int status = f.get()[0];
            assertThat(status).as("every answer is a tile or a refusal").isIn(200, 404, 429);
            ok += status == 200 ? 1 : 0;
            refused += status == 429 ? 1 : 0;
        }
        pool.shutdown();
        assertThat(ok).isPositive();
        assertThat(refused).as("at most " + LIMITS.requestsPerUser() + " of one user's requests run at once").isPositive();
    }

    @Test
    void aUserHasAtMostTheirShareOfJobsAndAJobActsWithItsOwnTokenRevokedAtTheEnd() {
        owner.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false)).ok();
        JsonNode first = owner.send("POST", "/api/jobs", Map.of("series", server.series)).ok();
        TestApi.Response second = owner.send("POST", "/api/jobs", Map.of("series", server.series));
        assertThat(second.status()).as(second.text()).isEqualTo(429);
        JsonNode done = owner.await("/api/jobs/" + first.get("id").asText(), 120_000, "queued", "running", "publishing");
        assertThat(done.get("state").asText()).isEqualTo("done");
        assertThat(done.get("user").asText()).isEqualTo("histologist");
        long end = System.currentTimeMillis() + 10_000;
        List<String> kinds;
        do {
            kinds = server.owner.get("/api/v1/projects/" + server.project + "/tokens").ok().findValuesAsText("kind");
        } while (kinds.contains("job") && System.currentTimeMillis() < end);
        assertThat(kinds).as("the job's token is revoked when it ends").doesNotContain("job");
        assertThat(TestApi.withToken(base, strangerToken).get("/api/jobs").ok()).isEmpty();
        assertThat(TestApi.withToken(base, strangerToken).get("/api/jobs/" + first.get("id").asText()).status()).isEqualTo(404);
    }
}
