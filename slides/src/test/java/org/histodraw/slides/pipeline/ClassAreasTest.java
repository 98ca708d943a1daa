package org.histodraw.slides.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.histodraw.engine.classes.ClassList;
import org.junit.jupiter.api.Test;

class ClassAreasTest {

    @Test
    void areasAreInSquareMicronsWhenThePixelSizeIsKnownAndEmptyOtherwise() {
        ClassAreas areas = new ClassAreas(ClassList.named(List.of("Background", "Nucleus, large")));
        areas.add("01", 10, 10, Optional.of(0.5), new long[] {0, 75, 25});
        areas.add("02 \"b\"", 10, 10, Optional.empty(), new long[] {0, 100});

        assertThat(areas.rows()).hasSize(4);
        assertThat(areas.rows().get(1).areaUm2()).isEqualTo(6.25);
        assertThat(areas.rows().get(3).areaPx()).isZero();
        assertThat(areas.csv()).isEqualTo("image,class,area_px,area_um2,fraction\n"
                + "01,Background,75,18.8,0.750000\n"
                + "01,\"Nucleus, large\",25,6.3,0.250000\n"
                + "\"02 \"\"b\"\"\",Background,100,,1.000000\n"
                + "\"02 \"\"b\"\"\",\"Nucleus, large\",0,,0.000000\n");
    }

    /** A carriage return in a name would end the row in a spreadsheet: it is quoted like a line feed. */
    @Test
    void namesWithCarriageReturnsAreQuoted() {
        ClassAreas areas = new ClassAreas(ClassList.named(List.of("Nucleus")));
        areas.add("scan\r2", 1, 1, Optional.empty(), new long[] {0, 1});
        assertThat(areas.csv()).isEqualTo("image,class,area_px,area_um2,fraction\n\"scan\r2\",Nucleus,1,,1.000000\n");
    }
}
