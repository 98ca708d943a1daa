package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.histodraw.server.auth.RateLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access that ends: tokens listed, revoked, expiring, dying with their maker's membership or
 * account; short-lived service tokens and the job tokens minted from them; users disabled,
 * deleted, given new passwords, their sessions ended; logins throttled and only as JSON; open
 * websockets closed as soon as the access that let them in is gone. Every change takes effect at
 * once, through the caches.
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessLifecycleTest {
    static final RateLimits LIMITS = new RateLimits(3, 1000, Duration.ofMinutes(10), 30, 8);
    HistoDrawServer server;
    int port;
    Client admin;
    Path dir;
    int projects;

    @BeforeAll
    void setUp(@TempDir Path dir) {
        this.dir = dir;
        server = HistoDrawServer.start(TestServer.config(dir.resolve("data")).withRateLimits(LIMITS));
        port = server.port();
        admin = Client.login(port, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    /** A new user (logged in) with a given role in a fresh project made by a new owner. */
    record Setup(long project, long slice, Client owner, String ownerName, Client member, String memberName) {
    }

    private Setup project(String memberRole) throws Exception {
        int n = ++projects;
        String ownerName = "owner" + n, memberName = "member" + n;
        user(ownerName);
        user(memberName);
        Client owner = Client.login(port, ownerName, ownerName + "-password");
        long series = owner.newSeries("Project " + n, "S");
        long project = owner.get("/api/v1/series/" + series).json().get("projectId").asLong();
        Path png = dir.resolve("tiny-" + n + ".png");
        Files.write(png, AccessMatrixTest.tinyPng());
        long slice = server.ingest(series, png, "s.png", 0.0).id();
        assertThat(owner.send("PUT", "/api/v1/projects/" + project + "/members/" + memberName, Map.of("role", memberRole)).status())
                .isEqualTo(200);
        return new Setup(project, slice, owner, ownerName, Client.login(port, memberName, memberName + "-password"), memberName);
    }

    private void user(String name) {
        assertThat(admin.send("POST", "/api/v1/users", Map.of("username", name, "password", name + "-password")).status()).isEqualTo(201);
    }

    private static String token(Client owner, long project, String name, List<String> scopes) {
        Client.Response r = owner.send("POST", "/api/v1/projects/" + project + "/tokens", Map.of("name", name, "scopes", scopes));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asText();
    }

    private int write(Client c, long slice) {
        return c.send("POST", "/api/v1/slices/" + slice + "/regions", AccessMatrixTest.square(4)).status();
    }

    // ---- issue 15.4: token lifecycle

    @Test
    void ownersListTokensWithTheirLastUseAndRevokeThemAtOnce() throws Exception {
        Setup s = project("editor");
        String secret = token(s.owner(), s.project(), "pipeline", List.of("read", "write"));
        Client service = Client.withToken(port, secret);
        assertThat(write(service, s.slice())).isEqualTo(201);
        JsonNode listed = s.owner().get("/api/v1/projects/" + s.project() + "/tokens").json();
        assertThat(listed).hasSize(1);
        JsonNode t = listed.get(0);
        assertThat(t.get("name").asText()).isEqualTo("pipeline");
        assertThat(t.get("createdBy").asText()).isEqualTo(s.ownerName());
        assertThat(t.get("lastUsedAt").isNull()).as("last use recorded").isFalse();
        assertThat(Instant.parse(t.get("lastUsedAt").asText())).isAfter(Instant.now().minusSeconds(60));
        assertThat(t.toString()).doesNotContain(secret);

        assertThat(s.owner().send("DELETE", "/api/v1/projects/" + s.project() + "/tokens/" + t.get("id").asLong(), null).status())
                .isEqualTo(204);
        assertThat(service.get("/api/v1/me").status()).as("revoked: refused at once, despite the cache").isEqualTo(401);
        assertThat(write(service, s.slice())).isEqualTo(401);
        assertThat(s.owner().get("/api/v1/projects/" + s.project() + "/tokens").json()).isEmpty();
        assertThat(s.member().send("DELETE", "/api/v1/projects/" + s.project() + "/tokens/" + t.get("id").asLong(), null).status())
                .as("an editor cannot revoke").isEqualTo(403);
    }

    @Test
    void aTokenMayExpire() throws Exception {
        Setup s = project("viewer");
        String past = Instant.now().minusSeconds(5).toString();
        assertThat(s.owner().send("POST", "/api/v1/projects/" + s.project() + "/tokens", Map.of("name", "old", "scopes", List.of("read"),
                "expiresAt", past)).status()).isEqualTo(400);
        Client.Response made = s.owner().send("POST", "/api/v1/projects/" + s.project() + "/tokens", Map.of("name", "soon",
                "scopes", List.of("read"), "expiresAt", Instant.now().plusMillis(1500).toString()));
        assertThat(made.json().get("expiresAt").asText()).isNotBlank();
        Client c = Client.withToken(port, made.json().get("token").asText());
        assertThat(c.get("/api/v1/projects/" + s.project()).status()).isEqualTo(200);
        Thread.sleep(1800);
        assertThat(c.get("/api/v1/projects/" + s.project()).status()).as("expired").isEqualTo(401);
    }

    @Test
    void aTokenDiesWithItsMakersMembership() throws Exception {
        Setup s = project("owner"); // the member is a second owner, who makes the token
        String secret = token(s.member(), s.project(), "theirs", List.of("read", "write"));
        Client service = Client.withToken(port, secret);
        assertThat(write(service, s.slice())).isEqualTo(201);
        assertThat(s.owner().send("DELETE", "/api/v1/projects/" + s.project() + "/members/" + s.memberName(), null).status())
                .isEqualTo(204);
        assertThat(write(service, s.slice())).as("maker removed from the project").isEqualTo(401);
    }

    @Test
    void aTokenNeverActsBeyondItsMakersRoleNow() throws Exception {
        Setup s = project("owner");
        Client service = Client.withToken(port, token(s.member(), s.project(), "theirs", List.of("read", "write")));
        assertThat(s.owner().send("PUT", "/api/v1/projects/" + s.project() + "/members/" + s.memberName(), Map.of("role", "viewer"))
                .status()).isEqualTo(200);
        assertThat(write(service, s.slice())).as("maker demoted to viewer: the write token only reads").isEqualTo(403);
        assertThat(service.get("/api/v1/slices/" + s.slice() + "/regions").status()).isEqualTo(200);
    }

    @Test
    void tokensDieWhenTheirMakerIsDisabledOrDeleted() throws Exception {
        Setup s = project("owner");
        Client service = Client.withToken(port, token(s.member(), s.project(), "theirs", List.of("read")));
        assertThat(service.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(admin.send("PATCH", "/api/v1/users/" + s.memberName(), Map.of("disabled", true)).status()).isEqualTo(200);
        assertThat(service.get("/api/v1/me").status()).as("maker disabled").isEqualTo(401);
        assertThat(admin.send("PATCH", "/api/v1/users/" + s.memberName(), Map.of("disabled", false)).status()).isEqualTo(200);
        assertThat(service.get("/api/v1/me").status()).as("disabling revoked the token for good").isEqualTo(401);

        Setup t = project("owner");
        Client other = Client.withToken(port, token(t.member(), t.project(), "theirs", List.of("read")));
        assertThat(admin.send("DELETE", "/api/v1/users/" + t.memberName(), null).status()).isEqualTo(204);
        assertThat(other.get("/api/v1/me").status()).as("maker deleted").isEqualTo(401);
    }

    // ---- issue 15.5: service and job tokens

    @Test
    void aMemberMintsAnHourLongServiceTokenWithTheirOwnRights() throws Exception {
        Setup s = project("viewer");
        Client.Response r = s.member().send("POST", "/api/v1/auth/service-token", Map.of("project", s.project()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("kind").asText()).isEqualTo("service");
        assertThat(r.json().get("scopes").toString()).isEqualTo("[\"read\"]");
        Instant expires = Instant.parse(r.json().get("expiresAt").asText());
        assertThat(expires).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        Client service = Client.withToken(port, r.json().get("token").asText());
        assertThat(service.get("/api/v1/me").json().at("/token/role").asText()).isEqualTo("viewer");
        assertThat(write(service, s.slice())).isEqualTo(403);
        assertThat(s.member().send("POST", "/api/v1/auth/service-token", Map.of("project", s.project(), "scopes", List.of("read", "write")))
                .status()).as("a viewer cannot mint write").isEqualTo(403);
        assertThat(s.member().send("POST", "/api/v1/auth/service-token", Map.of("project", s.project(), "lifetimeSeconds", 86_400))
                .status()).as("from a login: an hour at most").isEqualTo(400);
        assertThat(new Client(port).send("POST", "/api/v1/auth/service-token", Map.of("project", s.project())).status()).isEqualTo(401);
        Setup other = project("viewer");
        assertThat(s.member().send("POST", "/api/v1/auth/service-token", Map.of("project", other.project())).status())
                .as("not a member").isEqualTo(403);
    }

    @Test
    void aJobTokenOutlivesTheServiceTokenButDiesWithItsRevocation() throws Exception {
        Setup s = project("editor");
        String serviceToken = s.member().send("POST", "/api/v1/auth/service-token", Map.of("project", s.project())).json().get("token").asText();
        Client service = Client.withToken(port, serviceToken);
        Client.Response job = service.send("POST", "/api/v1/auth/service-token", Map.of("project", s.project(), "lifetimeSeconds", 6 * 3600));
        assertThat(job.status()).as(job.toString()).isEqualTo(201);
        assertThat(job.json().get("kind").asText()).isEqualTo("job");
        Client jobClient = Client.withToken(port, job.json().get("token").asText());
        assertThat(write(jobClient, s.slice())).isEqualTo(201);
        assertThat(jobClient.send("DELETE", "/api/v1/auth/token", null).status()).as("a job revokes its token at its end").isEqualTo(204);
        assertThat(write(jobClient, s.slice())).isEqualTo(401);

        Client second = Client.withToken(port, service.send("POST", "/api/v1/auth/service-token", Map.of("project", s.project()))
                .json().get("token").asText());
        assertThat(service.send("DELETE", "/api/v1/auth/token", null).status()).isEqualTo(204);
        assertThat(second.get("/api/v1/me").status()).as("revoking a token revokes the job tokens minted from it").isEqualTo(401);
    }

    // ---- issue 15.17: user administration

    @Test
    void aDisabledUserCannotLogInAndTheirSessionsEnd() throws Exception {
        Setup s = project("editor");
        assertThat(s.member().get("/api/v1/me").status()).isEqualTo(200);
        assertThat(admin.send("PATCH", "/api/v1/users/" + s.memberName(), Map.of("disabled", true)).json().get("disabled").asBoolean()).isTrue();
        assertThat(s.member().get("/api/v1/me").status()).as("session ended at once").isEqualTo(401);
        Client.Response login = new Client(port).send("POST", "/api/v1/auth/login",
                Map.of("username", s.memberName(), "password", s.memberName() + "-password"));
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.json().get("error").asText()).contains("disabled");
        admin.send("PATCH", "/api/v1/users/" + s.memberName(), Map.of("disabled", false));
        assertThat(Client.login(port, s.memberName(), s.memberName() + "-password").get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void aDeletedUserIsGoneButTheirNameStaysInTheHistoryAndCannotBeTaken() throws Exception {
        Setup s = project("editor");
        assertThat(write(s.member(), s.slice())).isEqualTo(201);
        assertThat(admin.send("DELETE", "/api/v1/users/" + s.memberName(), null).status()).isEqualTo(204);
        assertThat(s.member().get("/api/v1/me").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/users").text()).doesNotContain("\"" + s.memberName() + "\"");
        assertThat(s.owner().get("/api/v1/projects/" + s.project() + "/members").text()).doesNotContain(s.memberName());
        assertThat(s.owner().get("/api/v1/slices/" + s.slice() + "/history").json().get("events").get(0).get("user").asText())
                .isEqualTo(s.memberName());
        assertThat(admin.send("POST", "/api/v1/users", Map.of("username", s.memberName(), "password", "another-password")).status())
                .isEqualTo(409);
        assertThat(new Client(port).send("POST", "/api/v1/auth/login", Map.of("username", s.memberName(),
                "password", s.memberName() + "-password")).status()).isEqualTo(401);
    }

    @Test
    void anAdministratorResetsAPasswordAndEndsSessions() throws Exception {
        Setup s = project("viewer");
        Client second = Client.login(port, s.memberName(), s.memberName() + "-password");
        Client.Response ended = admin.send("DELETE", "/api/v1/users/" + s.memberName() + "/sessions", null);
        assertThat(ended.json().get("ended").asInt()).isEqualTo(2);
        assertThat(s.member().get("/api/v1/me").status()).isEqualTo(401);
        assertThat(second.get("/api/v1/me").status()).isEqualTo(401);

        Client third = Client.login(port, s.memberName(), s.memberName() + "-password");
        assertThat(admin.send("PUT", "/api/v1/users/" + s.memberName() + "/password", Map.of("password", "a-brand-new-one")).status())
                .isEqualTo(204);
        assertThat(third.get("/api/v1/me").status()).as("a reset ends the sessions").isEqualTo(401);
        assertThat(Client.login(port, s.memberName(), "a-brand-new-one").get("/api/v1/me").status()).isEqualTo(200);
        assertThat(s.owner().send("PUT", "/api/v1/users/" + s.memberName() + "/password", Map.of("password", "not-an-admin"))
                .status()).isEqualTo(403);
    }

    @Test
    void aUserChangesTheirOwnPasswordWithTheOldOne() throws Exception {
        Setup s = project("viewer");
        Client other = Client.login(port, s.memberName(), s.memberName() + "-password");
        assertThat(s.member().send("PUT", "/api/v1/me/password", Map.of("oldPassword", "wrong-password", "newPassword", "changed-password"))
                .status()).isEqualTo(403);
        assertThat(s.member().send("PUT", "/api/v1/me/password", Map.of("oldPassword", s.memberName() + "-password",
                "newPassword", "changed-password")).status()).isEqualTo(204);
        assertThat(s.member().get("/api/v1/me").status()).as("this session goes on").isEqualTo(200);
        assertThat(other.get("/api/v1/me").status()).as("the others end").isEqualTo(401);
        assertThat(Client.login(port, s.memberName(), "changed-password").get("/api/v1/me").status()).isEqualTo(200);
        String t = token(s.owner(), s.project(), "t", List.of("read"));
        assertThat(Client.withToken(port, t).send("PUT", "/api/v1/me/password", Map.of("oldPassword", "x", "newPassword", "yyyyyyyy"))
                .status()).as("not with a token").isEqualTo(403);
    }

    @Test
    void administratorsCannotLockThemselvesOut() {
        assertThat(admin.send("PATCH", "/api/v1/users/" + TestServer.ADMIN, Map.of("disabled", true)).status()).isEqualTo(400);
        assertThat(admin.send("DELETE", "/api/v1/users/" + TestServer.ADMIN, null).status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/me").status()).isEqualTo(200);
    }

    // ---- issue 15.13 and 15.14: logins

    @Test
    void wrongPasswordsForOneAccountAreThrottledEvenTheRightOneAfter() throws Exception {
        user("guessed");
        Client c = new Client(port);
        for (int i = 0; i < LIMITS.loginFailuresPerAccount(); i++) {
            assertThat(c.send("POST", "/api/v1/auth/login", Map.of("username", "guessed", "password", "guess-" + i)).status()).isEqualTo(401);
        }
        Client.Response r = c.send("POST", "/api/v1/auth/login", Map.of("username", "guessed", "password", "guessed-password"));
        assertThat(r.status()).as(r.toString()).isEqualTo(429);
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 600L);
        assertThat(r.json().get("error").asText()).contains("too many");
    }

    @Test
    void manyLoginsFromOneAddressAreThrottled(@TempDir Path other) {
        RateLimits perAddress = new RateLimits(100, 5, Duration.ofMinutes(10), 30, 8);
        try (HistoDrawServer s = HistoDrawServer.start(TestServer.config(other).withRateLimits(perAddress))) {
            for (int i = 0; i < perAddress.loginsPerAddress(); i++) {
                assertThat(new Client(s.port()).send("POST", "/api/v1/auth/login", Map.of("username", "nobody-" + i,
                        "password", "whatever-1")).status()).isEqualTo(401);
            }
            Client.Response r = new Client(s.port()).send("POST", "/api/v1/auth/login", Map.of("username", TestServer.ADMIN,
                    "password", TestServer.ADMIN_PASSWORD));
            assertThat(r.status()).as(r.toString()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isNotNull();
        }
    }

    @Test
    void aLoginMustBeJson() {
        Client c = new Client(port);
        Client.Response r = c.send(c.request("/api/v1/auth/login").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"admin-password\"}")));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.json().get("error").asText()).contains("application/json");
        assertThat(r.header("Set-Cookie")).isNull();
    }

    // ---- issue 15.8: open websockets lose what they lost

    @Test
    void aWebsocketIsClosedWhenItsUserLeavesTheProject() throws Exception {
        Setup s = project("viewer");
        LiveSocket socket = LiveSocket.connect(s.member(), s.slice(), null);
        socket.next("snapshot");
        s.owner().send("DELETE", "/api/v1/projects/" + s.project() + "/members/" + s.memberName(), null);
        assertThat(socket.closedWithin(3)).as("closed after the member was removed").isEqualTo(4403);
        assertThat(socket.received).anyMatch(m -> m.contains("\"closed\""));
    }

    @Test
    void anAnonymousWebsocketIsClosedWhenTheProjectBecomesPrivate() throws Exception {
        Setup s = project("viewer");
        s.owner().send("PUT", "/api/v1/projects/" + s.project(), Map.of("publicRead", true));
        LiveSocket socket = LiveSocket.connect(new Client(port), s.slice(), null);
        socket.next("snapshot");
        s.owner().send("PUT", "/api/v1/projects/" + s.project(), Map.of("publicRead", false));
        assertThat(socket.closedWithin(3)).isEqualTo(4403);
    }

    @Test
    void aWebsocketIsClosedWhenItsTokenIsRevokedOrItsUserDisabled() throws Exception {
        Setup s = project("viewer");
        String secret = token(s.owner(), s.project(), "watcher", List.of("read"));
        LiveSocket byToken = LiveSocket.connect(new Client(port), s.slice(), secret);
        byToken.next("snapshot");
        long id = s.owner().get("/api/v1/projects/" + s.project() + "/tokens").json().get(0).get("id").asLong();
        s.owner().send("DELETE", "/api/v1/projects/" + s.project() + "/tokens/" + id, null);
        assertThat(byToken.closedWithin(3)).as("token revoked").isEqualTo(4403);

        LiveSocket bySession = LiveSocket.connect(s.member(), s.slice(), null);
        bySession.next("snapshot");
        admin.send("PATCH", "/api/v1/users/" + s.memberName(), Map.of("disabled", true));
        assertThat(bySession.closedWithin(3)).as("user disabled").isEqualTo(4403);
    }

    @Test
    void aWebsocketWhoseAccessStaysIsNotDisturbed() throws Exception {
        Setup s = project("viewer");
        LiveSocket socket = LiveSocket.connect(s.member(), s.slice(), null);
        socket.next("snapshot");
        Setup other = project("viewer");
        other.owner().send("DELETE", "/api/v1/projects/" + other.project() + "/members/" + other.memberName(), null);
        assertThat(socket.closedWithin(1.5)).isNull();
        assertThat(write(s.owner(), s.slice())).isEqualTo(201);
        assertThat(socket.next("change").get("op").asText()).isEqualTo("create");
        socket.close();
    }
}
