package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.RgbTiff;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pyramid.DeepZoomPyramid;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-slide files through the real server (issue 14): registered at once, tiles cut from the
 * original (stored JPEG tiles passed through byte for byte), IIIF PNG exactly the file's decoded
 * pixels, what the file knows in the slice JSON, associated images, the owner's edits, bad files
 * refused with 422 and nothing stored, and data folders of earlier versions still served.
 */
class WholeSlideServingTest {
    @TempDir
    Path dir;

    private static BufferedImage image(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void anAperioSvsIsRegisteredAtOnceAndServedFromTheOriginal() throws Exception {
        SlideFiles.assumeOpenSlide();
        Path svs = SlideFiles.aperioSvs(SlideFiles.mosaic(), dir);
        try (HistoDrawServer server = TestServer.start(dir.resolve("data"))) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("Slides", "S");
            Client.Response up = owner.upload("/api/v1/series/" + series + "/slices", "slide.svs", Files.readAllBytes(svs), Map.of());
            assertThat(up.status()).as(up.toString()).isEqualTo(202);
            assertThat(up.json().get("state").asText()).as("no pyramid to wait for").isEqualTo("done");
            long id = up.json().get("sliceId").asLong();

            JsonNode slice = owner.get("/api/v1/slices/" + id).json();
            assertThat(slice.get("format").asText()).isEqualTo("Aperio SVS");
            assertThat(slice.get("vendor").asText()).isEqualTo("aperio");
            assertThat(slice.get("objectivePower").asDouble()).isEqualTo(40.0);
            assertThat(slice.get("micronsPerPixel").asDouble()).isEqualTo(0.25);
            assertThat(slice.get("associatedImages").toString()).contains("thumbnail");

            String dzi = owner.get("/slides/" + id + "/slide.dzi").text();
            assertThat(dzi).contains("TileSize=\"256\"", "Overlap=\"0\"", "Format=\"jpg\"");
            Client.Response tile = owner.get("/slides/" + id + "/slide_files/10/1_2.jpg");
            assertThat(tile.status()).isEqualTo(200);
            try (SlideImage original = SlideImages.open(svs)) {
                byte[] stored = original.encodedTile(0, 1, 2).orElseThrow().bytes();
                assertThat(tile.body()).as("the file's own JPEG tile, not decoded").isEqualTo(stored);
                // IIIF PNG at full size: the original's decoded pixels, no lossy step.
                Client.Response png = owner.get("/iiif/3/" + id + "/300,200,256,128/max/0/default.png");
                assertThat(png.status()).isEqualTo(200);
                BufferedImage picture = image(png.body());
                int[] expected = original.readArgb(0, new PixelRegion(300, 200, 256, 128));
                assertThat(picture.getRGB(0, 0, 256, 128, null, 0, 256)).isEqualTo(expected);
                // IIIF TIFF, what the service and cohorts read: the same pixels, uncompressed
                Client.Response tiff = owner.get("/iiif/3/" + id + "/300,200,256,128/max/0/default.tif");
                assertThat(tiff.status()).isEqualTo(200);
                assertThat(tiff.header("Content-Type")).isEqualTo("image/tiff");
                assertThat(RgbTiff.read(tiff.body(), 256, 128)).isEqualTo(expected);
            }
            BufferedImage thumbnail = image(owner.get("/api/v1/slices/" + id + "/associated/thumbnail").body());
            assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isPositive();
            assertThat(owner.get("/api/v1/slices/" + id + "/associated/macro").status()).isEqualTo(404);

            Map<String, Object> edit = new LinkedHashMap<>();
            edit.put("micronsPerPixel", 0.5);
            edit.put("name", "renamed");
            JsonNode changed = owner.send("PATCH", "/api/v1/slices/" + id, edit).json();
            assertThat(changed.get("micronsPerPixel").asDouble()).isEqualTo(0.5);
            assertThat(changed.get("name").asText()).isEqualTo("renamed");
            assertThat(owner.send("PATCH", "/api/v1/slices/" + id, Map.of("micronsPerPixel", -1)).status()).isEqualTo(400);
            assertThat(new Client(server.port()).send("PATCH", "/api/v1/slices/" + id, Map.of("name", "x")).status()).isEqualTo(401);
        }
    }

    @Test
    void openslidePythonsSlidesAreServedWithWhatTheyKnow() throws Exception {
        SlideFiles.assumeOpenSlide();
        try (HistoDrawServer server = TestServer.start(dir.resolve("data"))) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("Fixtures", "S");
            for (String name : new String[] {"small.svs", "boxes.tiff"}) {
                Client.Response up = owner.upload("/api/v1/series/" + series + "/slices", name,
                        Files.readAllBytes(SlideFiles.shared("wsi/" + name)), Map.of());
                assertThat(up.status()).as(up.toString()).isEqualTo(202);
                long id = up.json().get("sliceId").asLong();
                JsonNode slice = owner.get("/api/v1/slices/" + id).json();
                assertThat(slice.get("format").asText()).isIn("Aperio SVS", "tiled TIFF");
                Client.Response tile = owner.get("/slides/" + id + "/slide_files/0/0_0.jpg");
                assertThat(tile.status()).isEqualTo(200);
                assertThat(image(tile.body()).getWidth()).isEqualTo(1);
            }
        }
    }

    @Test
    void aDicomSlideIsUploadedAndServedWithItsFramesPassedThrough() throws Exception {
        try (HistoDrawServer server = TestServer.start(dir.resolve("data"))) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("Dicom", "S");
            Client.Response up = owner.upload("/api/v1/series/" + series + "/slices", "boxes_0.dcm",
                    Files.readAllBytes(SlideFiles.shared("wsi/boxes_0.dcm")), Map.of());
            assertThat(up.status()).as(up.toString()).isEqualTo(202);
            long id = up.json().get("sliceId").asLong();
            JsonNode slice = owner.get("/api/v1/slices/" + id).json();
            assertThat(slice.get("format").asText()).isEqualTo("DICOM WSI");
            assertThat(slice.get("vendor").asText()).isEqualTo("dicom");
            assertThat(slice.get("micronsPerPixel").asDouble()).isEqualTo(0.499, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(slice.get("width").asInt()).isEqualTo(16);
            Client.Response tile = owner.get("/slides/" + id + "/slide_files/4/0_0.jpg");
            assertThat(tile.status()).isEqualTo(200);
            assertThat(image(tile.body()).getWidth()).isEqualTo(16);
            Client.Response png = owner.get("/iiif/3/" + id + "/full/max/0/default.png");
            assertThat(png.status()).isEqualTo(200);
            assertThat(image(png.body()).getHeight()).isEqualTo(16);
        }
    }

    @Test
    void badFilesAreRefusedWith422InUnderASecondAndNothingIsStored() throws Exception {
        Map<String, byte[]> corpus = new LinkedHashMap<>();
        corpus.put("loop.tif", selfLoopTiff());
        corpus.put("unopenable.tiff", Files.readAllBytes(SlideFiles.shared("wsi/unopenable.tiff")));
        corpus.put("thumbnail-only.dcm", Files.readAllBytes(SlideFiles.shared("wsi/boxes_1.dcm")));
        byte[] dicom = Files.readAllBytes(SlideFiles.shared("wsi/boxes_0.dcm"));
        corpus.put("truncated.dcm", java.util.Arrays.copyOf(dicom, dicom.length - 100));
        byte[] boxes = Files.readAllBytes(SlideFiles.shared("wsi/boxes.tiff"));
        corpus.put("truncated.tiff", java.util.Arrays.copyOf(boxes, boxes.length / 2));
        if (SlideImages.openSlideAvailable()) {
            corpus.put("unreadable.svs", Files.readAllBytes(SlideFiles.shared("wsi/unreadable.svs")));
        }
        Path data = dir.resolve("data");
        try (HistoDrawServer server = TestServer.start(data)) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("Bad", "S");
            for (Map.Entry<String, byte[]> bad : corpus.entrySet()) {
                Client.Response r = assertTimeoutPreemptively(Duration.ofSeconds(3), () ->
                        owner.upload("/api/v1/series/" + series + "/slices", bad.getKey(), bad.getValue(), Map.of()));
                assertThat(r.status()).as(bad.getKey() + ": " + r).isEqualTo(422);
                assertThat(r.json().get("error").asText()).as(bad.getKey()).startsWith("not a slide image we can use: ")
                        .doesNotContain(data.toString());
                System.out.println(bad.getKey() + " -> 422 " + r.json().get("error").asText());
            }
            assertThat(owner.get("/api/v1/series/" + series).json().get("slices")).isEmpty();
            try (Stream<Path> left = Files.list(data.resolve("slides"))) {
                assertThat(left).as("nothing stored").isEmpty();
            }
        }
    }

    /** A 1 KB TIFF whose only image directory names itself as the next one (issue 15.3). */
    static byte[] selfLoopTiff() {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) 4);
        b.putShort((short) 256).putShort((short) 4).putInt(1).putInt(1);
        b.putShort((short) 257).putShort((short) 4).putInt(1).putInt(1);
        b.putShort((short) 273).putShort((short) 4).putInt(1).putInt(1000);
        b.putShort((short) 279).putShort((short) 4).putInt(1).putInt(1);
        b.putInt(8);
        return b.array();
    }

    @Test
    void aDataFolderWithPyramidsOfEarlierVersionsIsStillServed() throws Exception {
        Path data = dir.resolve("data");
        BufferedImage picture = BadSlides.gradient(600, 400);
        Path png = BadSlides.write(dir, "old.png", BadSlides.encode(picture, "png"));
        long id;
        String key = "legacy-pyramid";
        try (HistoDrawServer server = TestServer.start(data)) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = owner.newSeries("Old", "S");
            PyramidLayout layout;
            try (SlideImage source = SlideImages.open(png)) {
                layout = DeepZoomPyramid.build(source, data.resolve("slides").resolve(key), TileFormat.JPEG, null);
            }
            // What V10 makes of a slice row of an earlier version: its pyramid under its storage key.
            id = server.backend().slides().addSlice(series, "old", null, layout, null, key).id();
        }
        try (HistoDrawServer server = TestServer.start(data)) {
            Client owner = Client.login(server.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            JsonNode slice = owner.get("/api/v1/slices/" + id).json();
            assertThat(slice.get("format").asText()).isEqualTo("Deep Zoom");
            byte[] onDisk = Files.readAllBytes(data.resolve("slides").resolve(key).resolve("slide_files/10/1_1.jpg"));
            assertThat(owner.get("/slides/" + id + "/slide_files/10/1_1.jpg").body()).isEqualTo(onDisk);
            Client.Response iiif = owner.get("/iiif/3/" + id + "/full/300,/0/default.png");
            assertThat(iiif.status()).isEqualTo(200);
            assertThat(image(iiif.body()).getWidth()).isEqualTo(300);
            assertThat(owner.get("/api/v1/slices/" + id + "/associated/thumbnail").status()).isEqualTo(200);
        }
    }
}
