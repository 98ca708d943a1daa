package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiTest {
    @Test
    void theDocumentListsEveryRouteTheServerHasAndNoOther(@TempDir Path dir) {
        try (HistoDrawServer server = TestServer.start(dir)) {
            Client.Response r = new Client(server.port()).get("/api/openapi.json");
            assertThat(r.status()).isEqualTo(200);
            JsonNode doc = r.json();
            assertThat(doc.get("openapi").asText()).startsWith("3.");
            List<String> documented = new ArrayList<>();
            doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
            List<String> served = new ArrayList<>();
            for (String route : server.routes()) {
                served.add(route.startsWith("WS ") ? "GET " + route.substring(3) : route);
            }
            assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
            assertThat(documented).contains("GET /api/v1/slices/{id}/regions", "PUT /api/v1/slices/{id}/layers/{layer}",
                    "GET /api/v1/slices/{id}/live", "GET /iiif/3/{id}/info.json");
        }
    }

    @Test
    void unknownEndpointsAnswerWithAJsonError(@TempDir Path dir) {
        try (HistoDrawServer server = TestServer.start(dir)) {
            Client.Response r = new Client(server.port()).get("/api/v1/nothing-here");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.json().get("error").asText()).contains("/api/v1/nothing-here");
            assertThat(new Client(server.port()).get("/").status()).isEqualTo(200);
        }
    }
}
