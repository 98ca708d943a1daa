package org.histodraw.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The vectoriser on real ground truth: the GBM nucleus masks (1 = background, 2 = nucleus). */
class NucleusMasksTest {

    @Test
    void truthMasksAreTracedExactlyIntoValidPolygons() throws IOException {
        String data = System.getProperty("histodraw.data");
        File dir = data == null ? null : new File(data, "gbm-nuclei");
        Assumptions.assumeTrue(dir != null && dir.isDirectory(),
                "GBM nucleus data not found (system property histodraw.data=" + data + "); skipping");
        File[] truths = dir.listFiles((d, name) -> name.endsWith("_truth.png"));
        Assumptions.assumeTrue(truths != null && truths.length > 0, "no *_truth.png in " + dir);
        ClassList classes = ClassList.named(List.of("Background", "Nucleus"));
        PolygonSimplifier simplifier = PolygonSimplifier.withTolerance(1).smoothing(2);
        java.util.Arrays.sort(truths);
        for (File f : java.util.Arrays.copyOf(truths, Math.min(6, truths.length))) { // a few keep the test quick
            LabelRaster mask = read(f);
            List<ClassifiedPolygon> polygons = ClassMapVectoriser.vectorise(mask, classes);
            ClassMapVectoriserTest.assertReproduces(mask, polygons);
            ClassMapVectoriserTest.assertValidWithPixelAreas(mask, polygons, f.getName());
            assertThat(polygons.stream().filter(p -> p.imageClass().index() == 2).count()).as(f.getName()).isGreaterThan(5);
            for (ClassifiedPolygon p : simplifier.apply(polygons)) {
                assertThat(PolygonValidity.problems(p.polygon())).as(f.getName()).isEmpty();
            }
        }
    }

    private static LabelRaster read(File f) throws IOException {
        BufferedImage image = ImageIO.read(f);
        Raster r = image.getRaster();
        LabelRaster labels = LabelRaster.allocate(image.getWidth(), image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                labels.set(x, y, r.getSample(x, y, 0));
            }
        }
        return labels;
    }
}
