package org.histodraw.service.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.junit.jupiter.api.Test;

class TrainingRegionsTest {

    static String feature(String geometryType, String coordinates, String classification) {
        return "{\"type\":\"Feature\",\"geometry\":{\"type\":\"" + geometryType + "\",\"coordinates\":" + coordinates
                + "},\"properties\":{\"layer\":\"human\"" + (classification == null ? "" : ",\"classification\":" + classification) + "}}";
    }

    static String square(int at, String classification) {
        return feature("Polygon", "[[[" + at + "," + at + "],[" + (at + 4) + "," + at + "],[" + (at + 4) + "," + (at + 4)
                + "],[" + at + "," + (at + 4) + "],[" + at + "," + at + "]]]", classification);
    }

    static String collection(String... features) {
        return "{\"type\":\"FeatureCollection\",\"seq\":3,\"features\":[" + String.join(",", features) + "]}";
    }

    @Test
    void classesAreSharedByNameAcrossSlicesInOrderOfFirstAppearanceWithTheirColours() {
        TrainingRegions regions = new TrainingRegions(List.of());
        regions.add(1, collection(square(0, "{\"name\":\"Stroma\",\"color\":\"#00ff00\"}"), square(10, "{\"name\":\"Tumour\"}")));
        regions.add(2, collection(square(0, "{\"name\":\"Tumour\",\"color\":[200,0,0]}"), square(5, "\"Stroma\"")));

        ClassList classes = regions.classes();
        assertThat(classes.classes()).extracting(c -> c.name()).containsExactly("Stroma", "Tumour");
        assertThat(classes.get(1).rgb()).isEqualTo(0x00ff00);
        assertThat(classes.get(2).rgb()).isEqualTo(0xc80000);
        assertThat(regions.regionsOf(2, classes)).extracting(r -> r.imageClass().index()).containsExactly(2, 1);
    }

    @Test
    void regionsThatCannotTeachAreLeftOutAndCounted() {
        TrainingRegions regions = new TrainingRegions(List.of());
        regions.add(1, collection(square(0, "{\"name\":\"A\"}"), square(8, null),
                feature("Point", "[1,2]", "{\"name\":\"A\"}"), square(16, "{\"name\":\"B\"}")));
        assertThat(regions.skipped()).isEqualTo(2);
        assertThat(regions.regionsOf(1, regions.classes())).hasSize(2);
    }

    @Test
    void chosenClassesKeepTheirOrderAndOthersAreIgnored() {
        TrainingRegions regions = new TrainingRegions(List.of("B", "A"));
        regions.add(1, collection(square(0, "{\"name\":\"A\"}"), square(8, "{\"name\":\"C\"}"), square(16, "{\"name\":\"B\"}")));
        assertThat(regions.classes().classes()).extracting(c -> c.name()).containsExactly("B", "A");
        assertThat(regions.skipped()).isEqualTo(1);
    }

    @Test
    void fewerThanTwoClassesOrAMissingChosenClassIsExplained() {
        TrainingRegions one = new TrainingRegions(List.of());
        one.add(1, collection(square(0, "{\"name\":\"A\"}")));
        assertThatThrownBy(one::classes).hasMessageContaining("one class only (A)").hasMessageContaining("at least two");

        TrainingRegions missing = new TrainingRegions(List.of("A", "Z"));
        missing.add(1, collection(square(0, "{\"name\":\"A\"}")));
        assertThatThrownBy(missing::classes).hasMessageContaining("no regions of class Z");

        TrainingRegions none = new TrainingRegions(List.of());
        none.add(1, collection());
        assertThatThrownBy(none::classes).hasMessageContaining("no class");
    }

    @Test
    void malformedRegionsNameTheSlice() {
        TrainingRegions regions = new TrainingRegions(List.of());
        assertThatThrownBy(() -> regions.add(7, "{not json")).hasMessageContaining("slice 7");
        assertThatThrownBy(() -> regions.add(8, collection(feature("Polygon", "[[[0,0],[1,1]]]", "{\"name\":\"A\"}"))))
                .hasMessageContaining("slice 8");
    }
}
