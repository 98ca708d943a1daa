package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 16-bit slice (12-bit camera values, as a fluorescence or brightfield camera writes them, in a
 * TIFF written by the JDK's TIFF writer) is shown through display settings stored per slice: the
 * automatic range at first, an edited one after, tiles and their ETags following; bad settings and
 * settings for a colour slide answer 400 JSON naming the problem.
 */
class DisplaySettingsTest {

    private static byte[] sixteenBitTiff() throws IOException {
        BufferedImage image = new BufferedImage(512, 256, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 512; x++) {
                image.getRaster().setSample(x, y, 0, 100 + x * 7); // 100 .. 3677
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "tiff", out)).isTrue();
        return out.toByteArray();
    }

    private static byte[] colourPng() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void aSixteenBitSliceIsShownThroughItsStoredDisplaySettingsAndItsTilesFollowThem(@TempDir Path dir) throws IOException {
        try (HistoDrawServer server = HistoDrawServer.start(TestServer.config(dir.resolve("data")))) {
            Client admin = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = admin.newSeries("Camera", "Block");
            Client.Response up = admin.upload("/api/v1/series/" + series + "/slices", "camera.tif", sixteenBitTiff(), Map.of());
            assertThat(admin.awaitJob(up.json().get("jobId").asText()).get("state").asText()).isEqualTo("done");
            long slice = admin.get("/api/v1/series/" + series).json().get("slices").get(0).get("id").asLong();

            JsonNode display = admin.get("/api/v1/slices/" + slice + "/display").json();
            assertThat(display.get("rgb").asBoolean()).isFalse();
            assertThat(display.get("channels").get(0).get("sample").asText()).isEqualTo("uint16");
            assertThat(display.get("stored").asBoolean()).isFalse();
            assertThat(display.at("/display/0/min").asDouble()).as("the 0.1th percentile").isBetween(100.0, 110.0);
            assertThat(display.at("/display/0/max").asDouble()).as("the 99.9th percentile").isBetween(3660.0, 3677.0);

            String tilePath = "/iiif/3/" + slice + "/256,0,1,1/1,1/0/default.png";
            int automatic = grey(admin.get(tilePath).body());
            assertThat(automatic).as("value 1892 in the middle of the automatic range").isBetween(120, 136);
            String dziTile = "/slides/" + slice + "/slide_files/9/0_0.png";
            Client.Response before = admin.get(dziTile.replace(".png", "." + format(admin, slice)));
            assertThat(before.status()).isEqualTo(200);
            assertThat(before.header("Cache-Control")).as("settings may change: revalidated by ETag").contains("no-cache");

            String thumbnailBefore = admin.get("/api/v1/slices/" + slice + "/associated/thumbnail").header("ETag");
            Client.Response put = admin.send("PUT", "/api/v1/slices/" + slice + "/display",
                    Map.of("display", List.of(Map.of("visible", true, "color", "#00ff00", "min", 1892, "max", 3677))));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            assertThat(put.json().get("stored").asBoolean()).isTrue();
            int[] shown = rgb(admin.get(tilePath).body());
            assertThat(shown[0]).as("green only").isZero();
            assertThat(shown[1]).as("the range's bottom is black now").isLessThan(3);
            Client.Response after = admin.get(dziTile.replace(".png", "." + format(admin, slice)));
            assertThat(after.header("ETag")).as("a tile of other settings is another tile").isNotEqualTo(before.header("ETag"));
            Client.Response revalidated = admin.send(admin.request(dziTile.replace(".png", "." + format(admin, slice)))
                    .header("If-None-Match", before.header("ETag")).GET());
            assertThat(revalidated.status()).as("a browser's copy from before the change is not reused").isEqualTo(200);
            assertThat(admin.get("/api/v1/slices/" + slice + "/associated/thumbnail").header("ETag"))
                    .as("the thumbnail follows the settings too").isNotEqualTo(thumbnailBefore);

            Client.Response bad = admin.send("PUT", "/api/v1/slices/" + slice + "/display",
                    Map.of("display", List.of(Map.of("min", 5, "max", 1))));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("error").asText()).contains("channel 0").contains("min < max");
            Client.Response two = admin.send("PUT", "/api/v1/slices/" + slice + "/display",
                    Map.of("display", List.of(Map.of("min", 0, "max", 1), Map.of("min", 0, "max", 1))));
            assertThat(two.json().get("error").asText()).contains("has 1 channels");

            Client.Response reset = admin.send("DELETE", "/api/v1/slices/" + slice + "/display", null);
            assertThat(reset.json().get("stored").asBoolean()).isFalse();
            assertThat(grey(admin.get(tilePath).body())).isEqualTo(automatic);

            Client.Response colour = admin.upload("/api/v1/series/" + series + "/slices", "colour.png", colourPng(), Map.of());
            assertThat(admin.awaitJob(colour.json().get("jobId").asText()).get("state").asText()).isEqualTo("done");
            long colourSlice = admin.get("/api/v1/series/" + series).json().get("slices").get(1).get("id").asLong();
            assertThat(admin.get("/api/v1/slices/" + colourSlice + "/display").json().get("rgb").asBoolean()).isTrue();
            assertThat(admin.get("/slides/" + colourSlice + "/slide_files/0/0_0." + format(admin, colourSlice)).header("Cache-Control"))
                    .as("8-bit colour tiles never change").contains("immutable");
            Client.Response refused = admin.send("PUT", "/api/v1/slices/" + colourSlice + "/display",
                    Map.of("display", List.of(Map.of("min", 0, "max", 1))));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("error").asText()).contains("8-bit colour");
        }
    }

    private static String format(Client c, long slice) {
        String dzi = c.get("/slides/" + slice + "/slide.dzi").text();
        return dzi.replaceAll("(?s).*Format=\"([a-z]+)\".*", "$1");
    }

    private static int grey(byte[] png) throws IOException {
        return rgb(png)[1];
    }

    private static int[] rgb(byte[] png) throws IOException {
        int p = ImageIO.read(new java.io.ByteArrayInputStream(png)).getRGB(0, 0);
        return new int[] {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
    }
}
