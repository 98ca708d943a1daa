package org.histodraw.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class MosaicTest {

    private static Mosaic.Piece piece(String name, int seed) {
        Raster rgb = Raster.allocate(7, 5, 3);
        LabelRaster scribbles = LabelRaster.allocate(7, 5);
        LabelRaster truth = LabelRaster.allocate(7, 5);
        for (int i = 0; i < 35; i++) {
            rgb.plane(0)[i] = (i * seed % 11) / 10f;
            scribbles.data()[i] = (byte) ((i + seed) % 3);
            truth.data()[i] = (byte) (1 + (i * seed) % 2);
        }
        return new Mosaic.Piece(name, rgb, scribbles, truth);
    }

    @Test
    void labelsOfARegionAcrossPiecesAreThePiecesLabelsInsideTheAreaAndZeroOutside() {
        List<Mosaic.Piece> pieces = List.of(piece("a", 3), piece("b", 5), piece("c", 7));
        Mosaic mosaic = new Mosaic(23, pieces);
        PixelRegion area = new PixelRegion(2, 3, 15, 12);
        PixelRegion region = new PixelRegion(1, 1, 20, 17);
        for (boolean truth : new boolean[] {false, true}) {
            LabelSource labels = mosaic.labels(area, truth);
            LabelRaster read = labels.read(region);
            int columns = (23 + 6) / 7;
            for (int y = region.y(); y < region.endY(); y++) {
                for (int x = region.x(); x < region.endX(); x++) {
                    Mosaic.Piece p = pieces.get(((y / 5) * columns + x / 7) % pieces.size());
                    int expected = area.contains(new PixelRegion(x, y, 1, 1))
                            ? (truth ? p.truth() : p.scribbles()).get(x % 7, y % 5) : 0;
                    assertThat(read.get(x - region.x(), y - region.y())).as("(%d, %d)", x, y).isEqualTo(expected);
                }
            }
        }
    }
}
