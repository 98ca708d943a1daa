package org.histodraw.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSiteTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDemoStartsWithItsProjectSlicesAndRegionsAndASecondStartAddsNothing(@TempDir Path dir) throws Exception {
        long project;
        try (DemoSite site = DemoSite.start(dir, 0, 0)) {
            project = site.projectId();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager()).build();
            String base = site.url();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).as("the viewer is served at /").contains("<script src=\"/app.js\">");
            String login = "{\"username\":\"" + DemoSite.USER + "\",\"password\":\"" + DemoSite.PASSWORD + "\"}";
            HttpResponse<String> loggedIn = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/auth/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(loggedIn.statusCode()).isEqualTo(200);
            String csrf = JSON.readTree(loggedIn.body()).get("csrfToken").asText();
            JsonNode series = get(http, base + "api/v1/projects/" + project + "/series");
            JsonNode slices = series.get(0).get("slices");
            assertThat(slices).hasSize(3);
            assertThat(slices.get(0).get("width").asInt()).isEqualTo(512);
            JsonNode ontology = get(http, base + "api/v1/projects/" + project + "/ontology");
            assertThat(ontology.findValuesAsText("name")).containsExactly("Epithelium", "Stroma", "Lumen");
            // IHC: trained on hematoxylin and DAB; classes in colours neither stain has (DAB is brown,
            // hue about 20-45 degrees; hematoxylin blue-violet, about 220-280), and not pale.
            assertThat(get(http, base + "api/v1/projects/" + project).get("stain").asText()).isEqualTo("hdab");
            for (String colour : ontology.findValuesAsText("color")) {
                float[] hsb = java.awt.Color.RGBtoHSB(Integer.parseInt(colour.substring(1, 3), 16), Integer.parseInt(colour.substring(3, 5), 16),
                        Integer.parseInt(colour.substring(5, 7), 16), null);
                float hue = hsb[0] * 360;
                assertThat(hue < 15 || hue > 50).as("%s is not DAB brown (hue %s)", colour, hue).isTrue();
                assertThat(hue < 215 || hue > 280).as("%s is not hematoxylin blue (hue %s)", colour, hue).isTrue();
                assertThat(hsb[1]).as("saturation of %s", colour).isGreaterThan(0.6f);
            }
            int shipped = JSON.readTree(DemoSite.resource(DemoRunner.REGIONS)).get("features").size();
            assertThat(get(http, base + "api/v1/slices/" + slices.get(0).get("id").asLong() + "/regions").get("features")).hasSize(shipped);
            assertThat(get(http, base + "api/v1/services").findValuesAsText("url")).contains(site.serviceUrl());
            HttpResponse<String> servicePage = http.send(HttpRequest.newBuilder(URI.create(site.serviceUrl())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(servicePage.statusCode()).isEqualTo(200);
            // The service acts with the demo user's own token, as the viewer and the service page get it.
            String service = site.serviceUrl().endsWith("/") ? site.serviceUrl() : site.serviceUrl() + "/";
            assertThat(http.send(HttpRequest.newBuilder(URI.create(service + "api/projects")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("no token, no service").isEqualTo(401);
            String token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/auth/service-token"))
                    .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"project\": " + project + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("token").asText();
            JsonNode projects = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(service + "api/projects"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(projects.findValuesAsText("name")).containsExactly(DemoSite.PROJECT);
        }
        try (DemoSite again = DemoSite.start(dir, 0, 0)) {
            assertThat(again.projectId()).isEqualTo(project);
        }
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
