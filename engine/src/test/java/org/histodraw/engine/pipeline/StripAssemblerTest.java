package org.histodraw.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class StripAssemblerTest {

    private static TileResult tileFilledWith(PixelRegion tile, int label) {
        LabelRaster classes = LabelRaster.allocate(tile.width(), tile.height());
        java.util.Arrays.fill(classes.data(), (byte) label);
        return new TileResult(tile, classes, null);
    }

    @Test
    void stripsLeaveTopToBottomOnlyOnceTheirRowIsComplete() {
        TileGrid grid = TileGrid.of(10, 7, 4); // 3 x 2 tiles, last row 3 px high
        List<Integer> stripStarts = new ArrayList<>();
        List<LabelRaster> strips = new ArrayList<>();
        StripAssembler assembler = new StripAssembler(grid, 0, new StripSink() {
            @Override
            public void accept(int y, LabelRaster classes, Raster probabilities) {
                stripStarts.add(y);
                strips.add(classes);
            }
        });
        assembler.accept(tileFilledWith(grid.tile(0, 1), 4));
        assembler.accept(tileFilledWith(grid.tile(1, 1), 5));
        assembler.accept(tileFilledWith(grid.tile(2, 1), 6));
        assertThat(stripStarts).isEmpty(); // row 0 not complete yet
        assembler.accept(tileFilledWith(grid.tile(2, 0), 3));
        assembler.accept(tileFilledWith(grid.tile(0, 0), 1));
        assembler.accept(tileFilledWith(grid.tile(1, 0), 2));

        assertThat(stripStarts).containsExactly(0, 4);
        assertThat(strips.get(1).height()).isEqualTo(3);
        assertThat(strips.get(0).get(9, 3)).isEqualTo(3);
        assertThat(strips.get(1).get(5, 0)).isEqualTo(5);
        assertThat(assembler.isComplete()).isTrue();
    }

    @Test
    void aTileDeliveredTwiceIsAnError() {
        TileGrid grid = TileGrid.of(4, 8, 4);
        StripAssembler assembler = new StripAssembler(grid, 0, (y, c, p) -> { });
        assembler.accept(tileFilledWith(grid.tile(0, 0), 1));
        assertThatThrownBy(() -> assembler.accept(tileFilledWith(grid.tile(0, 0), 1)))
                .hasMessageContaining("came twice");
    }

    @Test
    void edgeTilesAreCutToTheImage() {
        TileGrid grid = TileGrid.of(10, 7, 4);
        assertThat(grid.tile(2, 1)).isEqualTo(new PixelRegion(8, 4, 2, 3));
        assertThat(grid.tileCount()).isEqualTo(6);
    }
}
