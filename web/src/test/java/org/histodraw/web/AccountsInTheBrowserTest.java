package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The account pages as their users click through them: an administrator disables and enables a
 * colleague on the Users page (whose session ends at once), a user changes their password on the
 * Account page, an owner makes and revokes an API token on the project page, and the service-token
 * page hands a token to a registered segmentation service only.
 */
class AccountsInTheBrowserTest extends InTheBrowser {
    @BeforeAll
    static void setUp() {
        start(Site.ADMIN);
    }

    private static int status(String path, String bearer) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(site.base + path));
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int login(String user, String password) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(site.base + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void anAdministratorDisablesAColleagueAndTheirSessionEndsAtOnce() {
        Browser vera = browser("vera");
        assertThat(vera.js("return fetch('/api/v1/me').then(r => r.status)")).isEqualTo(200L);
        b.open("#/");
        b.waitFor(d -> d.findElement(By.id("nav-users"))).click();
        WebElement button = b.waitFor(d -> d.findElement(By.cssSelector("tr[data-user=vera] .toggle-disabled")));
        assertThat(button.getText()).isEqualTo("Disable");
        button.click();
        b.waitFor(d -> d.findElement(By.cssSelector("tr[data-user=vera]")).getText().contains("disabled"));
        assertThat(vera.js("return fetch('/api/v1/me').then(r => r.status)")).isEqualTo(401L);
        b.driver.findElement(By.cssSelector("tr[data-user=vera] .toggle-disabled")).click();
        b.waitFor(d -> d.findElement(By.cssSelector("tr[data-user=vera]")).getText().contains("active"));
        assertThat(b.driver.findElements(By.cssSelector("tr[data-user=admin] .delete-user"))).as("no deleting oneself").isEmpty();
        assertThat(b.pageErrors()).isEqualTo("[]");
        assertThat(vera.pageErrors()).isEqualTo("[]");
    }

    @Test
    void aUserChangesTheirPasswordOnTheAccountPage() throws Exception {
        Browser eric = browser("eric");
        eric.waitFor(d -> d.findElement(By.id("nav-account"))).click();
        eric.waitFor(d -> d.findElement(By.id("old-password"))).sendKeys("wrong-password");
        eric.driver.findElement(By.id("new-password")).sendKeys("a-new-password-1");
        eric.driver.findElement(By.id("new-password-again")).sendKeys("a-new-password-1");
        eric.driver.findElement(By.id("change-password")).click();
        eric.waitFor(d -> d.findElement(By.id("password-error")).getText().contains("old password is wrong"));
        WebElement old = eric.driver.findElement(By.id("old-password"));
        old.clear();
        old.sendKeys(Site.PASSWORD);
        eric.driver.findElement(By.id("change-password")).click();
        eric.waitFor(d -> d.findElement(By.id("toasts")).getText().contains("Password changed"));
        assertThat(login("eric", "a-new-password-1")).isEqualTo(200);
        assertThat(login("eric", Site.PASSWORD)).isEqualTo(401);
        assertThat(eric.js("return fetch('/api/v1/me').then(r => r.status)")).as("this session goes on").isEqualTo(200L);
        assertThat(eric.pageErrors()).isEqualTo("[]");
    }

    @Test
    void anOwnerMakesAndRevokesATokenOnTheProjectPage() throws Exception {
        b.open("#/projects/" + site.projectId);
        b.waitFor(d -> d.findElement(By.id("new-token-name"))).sendKeys("pipeline");
        b.driver.findElement(By.cssSelector("#tokens form button[type=submit]")).click();
        String shown = b.waitFor(d -> {
            String t = d.findElement(By.id("token-secret")).getText();
            return t.contains("hdt_") ? t : null;
        });
        String token = shown.substring(shown.indexOf("hdt_")).split(" ")[0];
        assertThat(status("/api/v1/projects/" + site.projectId, token)).isEqualTo(200);
        WebElement row = b.waitFor(d -> d.findElement(By.xpath("//section[@id='tokens']//tr[td[1][text()='pipeline']]")));
        assertThat(row.getText()).contains("read").contains(Site.ADMIN);
        row.findElement(By.cssSelector(".revoke-token")).click();
        b.waitFor(d -> d.findElements(By.xpath("//section[@id='tokens']//tr[td[1][text()='pipeline']]")).isEmpty());
        assertThat(status("/api/v1/projects/" + site.projectId, token)).as("revoked").isEqualTo(401);
        assertThat(b.pageErrors()).isEqualTo("[]");
    }

    @Test
    void theServiceTokenPageHandsATokenToARegisteredServiceOnly() throws Exception {
        HttpServer service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        service.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>service</title><p>service page</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        service.start();
        try {
            String url = "http://127.0.0.1:" + service.getAddress().getPort() + "/";
            site.call("POST", "/api/v1/services", Map.of("name", "test service", "url", url));
            b.open("#/service-token?return=" + URLEncoder.encode("http://evil.example/", StandardCharsets.UTF_8)
                    + "&project=" + site.projectId);
            b.waitFor(d -> d.findElement(By.id("service-token")).getText().contains("not a segmentation service registered"));

            b.open("#/service-token?return=" + URLEncoder.encode(url + "?series=" + site.seriesId, StandardCharsets.UTF_8)
                    + "&project=" + site.projectId);
            String arrived = b.waitFor(d -> d.getCurrentUrl().startsWith(url) ? d.getCurrentUrl() : null);
            assertThat(arrived).contains("series=" + site.seriesId).contains("project=" + site.projectId).contains("#token=hdt_");
            String token = URI.create(arrived).getFragment().substring("token=".length());
            assertThat(status("/api/v1/projects/" + site.projectId, token)).isEqualTo(200);
            assertThat(status("/api/v1/me", token)).isEqualTo(200);
        } finally {
            service.stop(0);
        }
    }
}
