package org.histodraw.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.histodraw.engine.raster.PixelRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public-API client against a real annotation server, with the tokens a service or a batch job holds. */
class ServerClientTest {
    private static final String SQUARE = """
            {"type": "FeatureCollection", "provenance": {"service": "client-test", "model": "m1", "job": "%s"},
             "features": [{"type": "Feature", "properties": {"classification": {"name": "Epithelium"}},
               "geometry": {"type": "Polygon", "coordinates": [[[10, 10], [60, 10], [60, 60], [10, 60], [10, 10]]]}}]}""";

    @TempDir
    static Path folder;
    static AnnotatedProject project = AnnotatedProject.shared();
    static ServerClient reader;
    static ServerClient writer;

    @BeforeAll
    static void nameTheProjectsClasses() {
        project.owner.send("PUT", "/api/v1/projects/" + project.project + "/ontology",
                List.of(Map.of("name", "Epithelium", "color", "#aa3366"), Map.of("name", "Stroma", "color", "#33aa66")));
        reader = project.client(project.readToken);
        writer = project.client(project.writeToken);
    }

    @Test
    void seriesAndSlicesAreReadAsTheServerListsThem() {
        assertThat(names(reader.projects())).contains("Glands");
        assertThat(names(reader.seriesOf(project.project))).containsExactly("Colon");

        SeriesInfo series = reader.series(project.series);
        assertThat(series.id()).isEqualTo(project.series);
        assertThat(series.projectId()).isEqualTo(project.project);
        assertThat(series.name()).isEqualTo("Colon");
        assertThat(series.slices()).extracting(SliceInfo::id).containsExactlyElementsOf(project.slices);
        assertThat(series.slices()).extracting(SliceInfo::name).containsExactly("01.png", "02.png");

        SliceInfo first = reader.slice(project.slices.get(0));
        assertThat(first.width()).isEqualTo(700);
        assertThat(first.height()).isEqualTo(600);
        assertThat(first.seriesId()).isEqualTo(project.series);
        assertThat(first.micronsPerPixel()).isEqualTo(0.25);
        assertThat(reader.slice(project.slices.get(1)).micronsPerPixel()).as("a PNG without a pixel size").isNull();

        assertThat(names(reader.ontology(project.project))).containsExactly("Epithelium", "Stroma");
    }

    @Test
    void regionPixelsAreThoseOfTheUploadedFileAndScaledRegionsHaveTheAskedSize() {
        long slice = project.slices.get(0);
        int[] region = reader.regionPixels(slice, new PixelRegion(500, 100, 150, 60), 150, 60);
        assertThat(region).hasSize(150 * 60);
        BufferedImage original = project.images.get(0);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 150; x++) {
                assertThat(region[y * 150 + x]).as("pixel %d,%d", x, y).isEqualTo(0xff000000 | original.getRGB(500 + x, 100 + y));
            }
        }
        assertThat(reader.regionPixels(slice, new PixelRegion(0, 0, 700, 600), 70, 60)).hasSize(70 * 60);
        // the server crops a region to the slice (IIIF), which is not what was asked: refused naming both sizes
        assertThatThrownBy(() -> reader.regionPixels(slice, new PixelRegion(600, 0, 200, 10), 200, 10))
                .isInstanceOf(ServerException.class).hasMessageContaining("is 100 x 10 px, expected 200 x 10");
        assertThatThrownBy(() -> reader.regionPixels(slice, new PixelRegion(800, 0, 10, 10), 10, 10))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void aLayerLargerThanAPartIsStagedInPartsAndPublishedWhole() throws IOException {
        long slice = project.slices.get(1);
        StringBuilder collection = new StringBuilder("{\"type\":\"FeatureCollection\",\"provenance\":{\"service\":"
                + "\"client-test\",\"model\":\"m\",\"job\":\"job-parts\"},\"features\":[");
        for (int i = 0; i < 120; i++) {
            int x = 2 * (i % 60), y = 2 * (i / 60);
            collection.append(i == 0 ? "" : ",").append("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\","
                    + "\"coordinates\":[[[").append(x).append(',').append(y).append("],[").append(x + 1).append(',').append(y)
                    .append("],[").append(x + 1).append(',').append(y + 1).append("],[").append(x).append(',').append(y + 1)
                    .append("],[").append(x).append(',').append(y).append("]]]},\"properties\":{\"classification\":"
                    + "{\"name\":\"Epithelium\"}}}");
        }
        Path file = Files.writeString(folder.resolve("parts.geojson"), collection.append("]}").toString());
        List<String> sent = new java.util.ArrayList<>();
        ServerClient small = writer.withToken(project.writeToken).withLayerPartBytes(4096);

        JsonNode last = small.putLayer(slice, "parted", file, "job-parts");
        assertThat(last.path("regions").asInt()).as("every part staged: " + last).isEqualTo(120);
        assertThat(Files.size(file)).as("several parts of 4 kB").isGreaterThan(3 * 4096);
        try (var left = Files.list(folder)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("the parts' files are gone").noneMatch(n -> n.contains(".part"));
        }
        small.commitStaged("job-parts");
        List<JsonNode> regions = features(reader.regions(slice, "parted"));
        assertThat(regions).hasSize(120);
        regions.forEach(r -> sent.add(r.at("/geometry/coordinates/0/0").toString()));
        assertThat(sent).doesNotHaveDuplicates().contains("[0,0]", "[118,2]");

        Path notStaged = Files.writeString(folder.resolve("alone.geojson"), collection.toString());
        assertThatThrownBy(() -> small.putLayer(slice, "parted", notStaged, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("goes in parts, staged under a job");
    }

    @Test
    void aGeneratedLayerStagedUnderAJobAppearsOnlyWhenTheJobIsCommitted() throws IOException {
        long slice = project.slices.get(1);
        writer.putLayer(slice, "generated", SQUARE.formatted("job-1"), "job-1");
        assertThat(features(reader.regions(slice, "generated"))).as("staged, not yet visible").isEmpty();

        JsonNode committed = writer.commitStaged("job-1");
        assertThat(committed.path("layers").get(0).path("created").asInt()).isEqualTo(1);
        List<JsonNode> regions = features(reader.regions(slice, "generated"));
        assertThat(regions).hasSize(1);
        assertThat(regions.get(0).at("/properties/classification/name").asText()).isEqualTo("Epithelium");
        JsonNode layer = StreamSupport.stream(reader.layers(slice).spliterator(), false)
                .filter(l -> "generated".equals(l.path("name").asText())).findFirst().orElseThrow();
        assertThat(layer.at("/provenance/service").asText()).isEqualTo("client-test");
        assertThat(layer.path("count").asInt()).isEqualTo(1);

        // A second job, streamed from a file, replaces the layer; one discarded leaves it as it is.
        Path file = Files.writeString(folder.resolve("layer.geojson"), SQUARE.formatted("job-2").replace("Epithelium", "Stroma"),
                StandardCharsets.UTF_8);
        writer.putLayer(slice, "generated", file, "job-2");
        writer.commitStaged("job-2");
        writer.putLayer(slice, "generated", SQUARE.formatted("job-3"), "job-3");
        writer.discardStaged("job-3");
        assertThatThrownBy(() -> writer.commitStaged("job-3")).isInstanceOf(ServerException.class)
                .satisfies(e -> assertThat(((ServerException) e).status()).isEqualTo(404));
        assertThat(features(reader.regions(slice, "generated")))
                .extracting(f -> f.at("/properties/classification/name").asText()).containsExactly("Stroma");
    }

    @Test
    void regionsPostedAsJsonComeBackInTheHumanLayer() {
        long slice = project.slices.get(0);
        writer.postJson("/api/v1/slices/" + slice + "/regions", Map.of("type", "Feature",
                "properties", Map.of("classification", Map.of("name", "Stroma")),
                "geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(
                        List.of(100, 100), List.of(200, 100), List.of(200, 180), List.of(100, 100))))));
        JsonNode human = reader.getJson("/api/v1/slices/" + slice + "/regions?layer=human");
        assertThat(human.path("features")).hasSize(1);
        assertThat(human.at("/features/0/properties/classification/name").asText()).isEqualTo("Stroma");
    }

    @Test
    void fetchGivesTheBodyWithItsMediaType() {
        ServerClient.Fetched info = reader.fetch("/iiif/3/" + project.slices.get(0) + "/info.json");
        assertThat(info.contentType()).contains("json");
        assertThat(new String(info.body(), StandardCharsets.UTF_8)).contains("\"width\"").contains("700");
    }

    @Test
    void theServersRefusalsComeBackWithTheirStatusAndMessage() {
        assertThatThrownBy(() -> reader.putLayer(project.slices.get(0), "generated", SQUARE.formatted("j"), null))
                .as("a read-only token cannot write").isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).startsWith("PUT /api/v1/slices/").doesNotContain("{\"error\"");
                });
        assertThatThrownBy(() -> reader.slice(987_654)).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).contains("987654");
        });
        assertThatThrownBy(() -> writer.putLayer(project.slices.get(0), "generated", "{\"type\": \"FeatureCollection\", \"features\": []}", null))
                .as("a generated layer without provenance").isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("provenance");
                });
        assertThatThrownBy(() -> writer.registerService("segmentation", "http://127.0.0.1:9/"))
                .as("a project token is no administrator").isInstanceOfSatisfying(ServerException.class,
                        e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> project.client(null).series(project.series)).isInstanceOfSatisfying(ServerException.class,
                e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> project.client("hdt_not-a-token").series(project.series))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aServerThatDoesNotAnswerIsStatusZeroNamingItsAddress() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ServerClient nobody = new ServerClient(URI.create("http://127.0.0.1:" + port + "/"), "t");
        assertThat(nobody.server().toString()).isEqualTo("http://127.0.0.1:" + port);
        assertThatThrownBy(() -> nobody.slice(1)).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).contains("127.0.0.1:" + port).contains("not reachable").contains("/api/v1/slices/1");
        });
    }

    @Test
    void onlyHttpAddressesAreAccepted() {
        assertThatThrownBy(() -> new ServerClient(URI.create("ftp://127.0.0.1/"), "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    }

    private static List<String> names(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false).map(n -> n.path("name").asText()).toList();
    }

    private static List<JsonNode> features(String featureCollection) throws IOException {
        return StreamSupport.stream(new ObjectMapper().readTree(featureCollection)
                .path("features").spliterator(), false).toList();
    }
}
