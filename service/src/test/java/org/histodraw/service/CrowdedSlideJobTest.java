package org.histodraw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slide crowded with nuclei, as whole slides are: its background, one region with a hole for each
 * of 28,000 nuclei, has more vertices than the server takes in one region. The job says so in its
 * own terms and publishes nothing; the same job with the background left out publishes the nuclei.
 */
class CrowdedSlideJobTest extends AgainstAServer {
    static final ClassList CLASSES = ClassList.named(List.of("Background", "Nucleus"));
    static final int SIDE = 2048;
    static final int PITCH = 12;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        start(dir, "Crowded", List.of(crowded()), 2);
        List<ClassifiedPolygon> regions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            regions.add(square(CLASSES.get(1), 40 + 60 * i, 300, 40)); // the clear band on the left
            int cx = 400 + PITCH * (10 + 7 * i) + PITCH / 2, cy = PITCH * (20 + 9 * i) + PITCH / 2;
            regions.add(square(CLASSES.get(2), cx - 2, cy - 2, 4)); // inside a nucleus
        }
        server.draw(server.slices.get(0), regions);
    }

    @Test
    void aLayerTheServerRefusesIsExplainedAndTheBackgroundCanBeLeftOut() {
        api.send("POST", "/api/train", Map.of("slices", server.slices, "live", false)).ok();

        JsonNode failed = run(Map.of("series", server.series));
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("message").asText()).contains("slice 01.png: the server refused its")
                .contains("more than 200000 vertices").contains("leave the background out");
        assertThat(server.count(server.slices.get(0), "generated")).as("nothing published").isZero();

        JsonNode done = run(Map.of("series", server.series, "omit", List.of("Background")));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
        List<ClassifiedPolygon> nuclei = server.generated(server.slices.get(0), CLASSES);
        int grid = (SIDE - 400) / PITCH * (SIDE / PITCH);
        assertThat(nuclei).allSatisfy(p -> assertThat(p.imageClass().name()).isEqualTo("Nucleus"));
        assertThat(nuclei.size()).as("about one region per nucleus").isBetween(grid * 95 / 100, grid * 105 / 100);
    }

    /** Pink stroma, clear on the left 400 px, with a purple nucleus of radius 4 every 12 px elsewhere. */
    private static byte[] crowded() throws Exception {
        Random random = new Random(3);
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double dx = (x - 400) % PITCH - PITCH / 2.0 + 0.5, dy = y % PITCH - PITCH / 2.0 + 0.5;
                boolean nucleus = x >= 400 && dx * dx + dy * dy <= 16;
                int r = (nucleus ? 95 : 232) + (int) (random.nextGaussian() * 6);
                int g = (nucleus ? 55 : 185) + (int) (random.nextGaussian() * 6);
                int b = (nucleus ? 150 : 208) + (int) (random.nextGaussian() * 6);
                image.setRGB(x, y, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
