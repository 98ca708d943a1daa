package org.histodraw.enginejs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Segment here" on the JVM, and the same call in the JavaScript build under node. */
class BrowserSegmenterTest {
    @TempDir
    Path dir;

    static final int W = 320, H = 240;
    static final ViewFrame FRAME = new ViewFrame(4000, 3000, 2);
    static final String REGIONS = "{\"type\":\"FeatureCollection\",\"features\":["
            + square(4000 + 2 * 20, 3000 + 2 * 20, 2 * 30, "Nucleus") + ","
            + square(4000 + 2 * 200, 3000 + 2 * 150, 2 * 40, "Stroma") + "]}";

    @Test
    void twoClassesInViewAreLearntAndTheRegionsComeBackInSlidePixels() {
        BrowserSegmentation s = BrowserSegmenter.segment(BrowserSegmenter.rgbaToRaster(stainedPixels(W, H), W, H), FRAME, REGIONS, "", 42);
        assertThat(s.model().classes().size()).isEqualTo(2);
        assertThat(s.classes().count(1)).isPositive();
        assertThat(s.classes().count(2)).isPositive();
        assertThat(s.trainingPixels()).isEqualTo(30 * 30 + 40 * 40);
        String geojson = s.regionsGeoJson(16, 1);
        assertThat(geojson).contains("\"Nucleus\"", "\"Stroma\"");
        // Every vertex lies inside the view on the slide: 4000..4640 x 3000..3480.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(-?[0-9.]+),(-?[0-9.]+)\\]").matcher(geojson);
        int vertices = 0;
        while (m.find()) {
            assertThat(Double.parseDouble(m.group(1))).isBetween(4000.0, 4640.0);
            assertThat(Double.parseDouble(m.group(2))).isBetween(3000.0, 3480.0);
            vertices++;
        }
        assertThat(vertices).isGreaterThan(8);
    }

    @Test
    void oneClassInViewIsRefusedWithTheReason() {
        String one = "{\"type\":\"FeatureCollection\",\"features\":[" + square(4040, 3040, 60, "Nucleus") + ","
                + square(100, 100, 50, "Stroma") + "]}";
        assertThatThrownBy(() -> BrowserSegmenter.segment(BrowserSegmenter.rgbaToRaster(stainedPixels(W, H), W, H), FRAME, one, "", 42))
                .hasMessageContaining("at least two classes").hasMessageContaining("only Nucleus");
        assertThatThrownBy(() -> BrowserSegmenter.rgbaToRaster(new byte[10], 2, 2)).hasMessageContaining("expected 16 RGBA bytes");
    }

    @Test
    void theJavaScriptBuildAgreesWithTheJvmOnNineTenthsOfThePixelsAtLeast() throws Exception {
        Path script = Path.of(System.getProperty("histodraw.enginejs", "target/teavm/histodraw-engine.js"));
        Assumptions.assumeTrue(Files.isRegularFile(script), "no TeaVM build at " + script);
        Assumptions.assumeTrue(BrowserBuildTest.nodeAvailable(), "node is not installed: skipping the JavaScript run");
        byte[] rgba = stainedPixels(W, H);
        BrowserSegmentation jvm = BrowserSegmenter.segment(BrowserSegmenter.rgbaToRaster(rgba, W, H), FRAME, REGIONS, "", 42);

        ObjectMapper json = new ObjectMapper();
        Path input = dir.resolve("input.json");
        json.writeValue(input.toFile(), Map.of("rgba", Base64.getEncoder().encodeToString(rgba), "width", W, "height", H,
                "regions", REGIONS, "originX", FRAME.originX(), "originY", FRAME.originY(), "scale", FRAME.scale(), "seed", 42));
        Path runner = dir.resolve("run-segment.js");
        try (InputStream in = getClass().getResourceAsStream("/run-segment.js")) {
            Files.copy(in, runner);
        }
        Process node = new ProcessBuilder("node", runner.toString(), script.toAbsolutePath().toString(), input.toString())
                .redirectErrorStream(true).start();
        // Read before waiting: the answer is larger than the pipe's buffer.
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(node.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        JsonNode js = json.readTree(output.lines().reduce((a, b) -> b).orElse("{}"));
        byte[] classes = Base64.getDecoder().decode(js.get("classes").asText());
        byte[] uncertainty = Base64.getDecoder().decode(js.get("uncertainty").asText());
        System.out.println("JVM model " + jvm.model().id() + ", JavaScript model " + js.get("model").asText());
        // Not pixel for pixel: TeaVM computes Java's float arithmetic in double (docs/browser-engine.md).
        int otherClass = differing(classes, jvm.classes().data(), 0);
        System.out.printf("node vs JVM: %d of %d pixels of another class, %d with uncertainty 64/255 apart; %.2f s in node%n",
                otherClass, W * H, differing(uncertainty, jvm.uncertainty(), 64), js.get("seconds").asDouble());
        assertThat(otherClass).as("pixels of another class than on the JVM").isLessThan(W * H / 10);
        int confident = 0;
        for (int i = 0; i < classes.length; i++) {
            confident += classes[i] != jvm.classes().data()[i] && (jvm.uncertainty()[i] & 0xff) < 200 ? 1 : 0;
        }
        assertThat(confident).as("pixels of another class where the JVM's trees do not (nearly) tie").isZero();
    }

    static int differing(byte[] a, byte[] b, int tolerance) {
        assertThat(a).hasSameSizeAs(b);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Math.abs((a[i] & 0xff) - (b[i] & 0xff)) > tolerance ? 1 : 0;
        }
        return n;
    }

    static String square(double x, double y, double side, String className) {
        return "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" + x + "," + y + "],[" + (x + side) + "," + y
                + "],[" + (x + side) + "," + (y + side) + "],[" + x + "," + (y + side) + "],[" + x + "," + y + "]]]},"
                + "\"properties\":{\"classification\":{\"name\":\"" + className + "\"}}}";
    }

    /** Purple nuclei on pink stroma with some noise, as RGBA. */
    static byte[] stainedPixels(int w, int h) {
        byte[] rgba = new byte[4 * w * h];
        long s = 11;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean nucleus = Math.hypot((x % 40) - 20, (y % 36) - 18) < 11;
                s = s * 6364136223846793005L + 1442695040888963407L;
                int n = (int) (s >>> 58) - 32;
                rgba[4 * i] = (byte) Math.clamp((nucleus ? 110 : 225) + n, 0, 255);
                rgba[4 * i + 1] = (byte) Math.clamp((nucleus ? 60 : 150) + n, 0, 255);
                rgba[4 * i + 2] = (byte) Math.clamp((nucleus ? 150 : 190) + n, 0, 255);
                rgba[4 * i + 3] = (byte) 255;
            }
        }
        return rgba;
    }
}
