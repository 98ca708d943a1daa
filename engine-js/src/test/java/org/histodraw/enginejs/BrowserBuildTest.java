package org.histodraw.enginejs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine compiled to JavaScript (the fallback for browsers without WebAssembly GC) trains a
 * forest that draws the same class map as the JVM on a real H&amp;E image with its scribbles (or a
 * generated one when the shared data is absent). Runs the JavaScript under node; skips when node is
 * not installed. The WebAssembly build, which the viewer prefers, gives the JVM's forest itself, byte
 * for byte: node 20 cannot run WebAssembly GC, so chromium proves that (web module,
 * SegmentHereInTheBrowserTest).
 */
class BrowserBuildTest {
    @TempDir
    Path dir;

    @Test
    void theJavaScriptBuildDrawsTheSameClassMapAsTheJvm() throws Exception {
        Path script = Path.of(System.getProperty("histodraw.enginejs", "target/teavm/histodraw-engine.js"));
        Assumptions.assumeTrue(Files.isRegularFile(script), "no TeaVM build at " + script);
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed: skipping the JavaScript run");

        String[] args = input();
        String jvm = EngineRun.run(args);

        Path inputJson = dir.resolve("input.json");
        Files.writeString(inputJson, "{\"rgb\":\"" + args[0] + "\",\"width\":" + args[1] + ",\"height\":" + args[2]
                + ",\"labels\":\"" + args[3] + "\"}");
        Path runner = dir.resolve("run-engine.js");
        try (InputStream in = getClass().getResourceAsStream("/run-engine.js")) {
            Files.copy(in, runner);
        }
        Process node = new ProcessBuilder("node", runner.toString(), script.toAbsolutePath().toString(), inputJson.toString())
                .redirectErrorStream(true).start();
        assertThat(node.waitFor(5, TimeUnit.MINUTES)).as("node finished").isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(node.exitValue()).as(output).isZero();
        String js = output.lines().reduce((a, b) -> b).orElse("");

        System.out.println("JVM:        " + jvm);
        System.out.println("JavaScript: " + js);
        // The class map is the same pixel for pixel. (The model file is not yet the same byte for byte:
        // a few of the forest's double statistics, importances and out-of-bag accuracy, differ in
        // their last bit under JavaScript.)
        assertThat(field(js, "settings")).isEqualTo(field(jvm, "settings"));
        assertThat(field(js, "modelBytes")).isEqualTo(field(jvm, "modelBytes"));
        assertThat(field(js, "classMap")).isEqualTo(field(jvm, "classMap"));
        assertThat(field(js, "pixelsPerClass")).isEqualTo(field(jvm, "pixelsPerClass"));
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":");
        assertThat(at).as(name + " in " + json).isNotNegative();
        int start = at + name.length() + 3;
        int end = json.charAt(start) == '[' ? json.indexOf(']', start) + 1 : json.indexOf(',', start);
        return json.substring(start, end);
    }

    static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** gbm-nuclei slide 01 with its scribbles when present, else a generated image with scribbles. */
    private static String[] input() throws IOException {
        String data = System.getProperty("histodraw.data");
        File image = data == null ? null : new File(data, "gbm-nuclei/01.png");
        File scribbles = data == null ? null : new File(data, "gbm-nuclei/01_scribbles.png");
        int w, h;
        byte[] rgb, labels;
        if (image != null && image.isFile() && scribbles.isFile()) {
            BufferedImage img = ImageIO.read(image);
            BufferedImage lab = ImageIO.read(scribbles);
            w = img.getWidth();
            h = img.getHeight();
            rgb = new byte[3 * w * h];
            labels = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = img.getRGB(x, y), i = y * w + x;
                    rgb[3 * i] = (byte) (p >>> 16);
                    rgb[3 * i + 1] = (byte) (p >>> 8);
                    rgb[3 * i + 2] = (byte) p;
                    labels[i] = (byte) lab.getRaster().getSample(x, y, 0);
                }
            }
        } else {
            w = 256;
            h = 192;
            rgb = new byte[3 * w * h];
            labels = new byte[w * h];
            long s = 7;
            for (int i = 0; i < w * h; i++) {
                int x = i % w, y = i / w;
                boolean nucleus = ((x / 16 + y / 16) % 3) == 0;
                s = s * 6364136223846793005L + 1442695040888963407L;
                int n = (int) (s >>> 59) - 16;
                rgb[3 * i] = (byte) ((nucleus ? 80 : 220) + n);
                rgb[3 * i + 1] = (byte) ((nucleus ? 50 : 150) + n);
                rgb[3 * i + 2] = (byte) ((nucleus ? 140 : 200) + n);
                if (x % 9 == 4 && y % 7 == 3) {
                    labels[i] = (byte) (nucleus ? 2 : 1);
                }
            }
        }
        Base64.Encoder b64 = Base64.getEncoder();
        return List.of(b64.encodeToString(rgb), String.valueOf(w), String.valueOf(h), b64.encodeToString(labels))
                .toArray(new String[0]);
    }
}
