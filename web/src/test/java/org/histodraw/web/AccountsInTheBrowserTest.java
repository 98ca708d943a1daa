package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The account pages as their users click through them: an administrator disables and enables a
 * colleague on the Users page (whose session ends at once), a user changes their password on the
 * Account page, and an owner makes and revokes an API token on the project page.
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
}
