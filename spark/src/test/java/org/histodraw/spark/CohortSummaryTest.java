package org.histodraw.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.junit.jupiter.api.Test;

class CohortSummaryTest {

    @Test
    void oneRowPerSlideWithAreasInPixelsAndSquareMicronsWhenKnown() {
        ClassList classes = ClassList.named(List.of("Stroma", "Tumour, invasive"));
        List<SlideOutcome> outcomes = List.of(
                new SlideOutcome(0, "/s/a.tif", "ok", "", 20, 10, 1, 1.23456, new long[] {0, 150, 50}, 0.5),
                new SlideOutcome(1, "/s/b.png", "ok", "", 10, 10, 1, 0.5, new long[] {0, 100, 0}, Double.NaN),
                SlideOutcome.failed(2, "/s/c.png", "truncated PNG: /s/c.png (\"IDAT\" missing)", 0.01));
        assertThat(CohortSummary.csv(outcomes, classes)).isEqualTo("""
                slide,status,message,width,height,tiles,seconds,Stroma_px,"Tumour, invasive_px",Stroma_um2,"Tumour, invasive_um2"
                /s/a.tif,ok,,20,10,1,1.235,150,50,37.5,12.5
                /s/b.png,ok,,10,10,1,0.500,100,0,,
                /s/c.png,failed,"truncated PNG: /s/c.png (""IDAT"" missing)",0,0,0,0.010,,,,
                """);
    }
}
