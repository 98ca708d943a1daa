package org.histodraw.engine.forest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ForestSettingsTest {

    @Test
    void defaultsAreEightBalancedTreesWithSqrtFeatures() {
        ForestSettings d = ForestSettings.defaults();
        assertThat(d.trees()).isEqualTo(8);
        assertThat(d.balanceClasses()).isTrue();
        assertThat(d.featuresPerSplit(60)).isEqualTo(7);
        assertThat(d.samplesPerTree(1000)).isEqualTo(1000);
        assertThat(d.samplesPerTree(200_000)).isEqualTo(d.maxSamplesPerTree());
    }

    @Test
    void badValuesFailAtOnceNamingTheValue() {
        ForestSettings d = ForestSettings.defaults();
        assertThatThrownBy(() -> d.toBuilder().trees(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trees").hasMessageContaining(": 0");
        assertThatThrownBy(() -> d.toBuilder().maxDepth(65).build()).hasMessageContaining("maxDepth").hasMessageContaining("65");
        assertThatThrownBy(() -> d.toBuilder().minSamplesLeaf(0).build()).hasMessageContaining("minSamplesLeaf");
        assertThatThrownBy(() -> d.toBuilder().featuresPerSplit(-1).build()).hasMessageContaining("featuresPerSplit");
        assertThatThrownBy(() -> d.toBuilder().maxSamplesPerTree(-5).build()).hasMessageContaining("maxSamplesPerTree")
                .hasMessageContaining("-5");
    }

    @Test
    void moreFeaturesPerSplitThanFeaturesIsRejected() {
        assertThatThrownBy(() -> ForestSettings.builder().featuresPerSplit(80).build().featuresPerSplit(60))
                .hasMessageContaining("80").hasMessageContaining("60 features");
    }

    @Test
    void theBuilderChangesOnlyWhatItIsToldAndLeavesTheOriginalAlone() {
        ForestSettings d = ForestSettings.defaults();
        ForestSettings changed = d.toBuilder().trees(50).maxDepth(10).seed(7).build();
        assertThat(changed).isEqualTo(new ForestSettings(50, 10, d.minSamplesLeaf(), d.featuresPerSplit(),
                d.maxSamplesPerTree(), d.balanceClasses(), 7));
        assertThat(d).isEqualTo(ForestSettings.defaults());
        assertThat(ForestSettings.builder().build()).isEqualTo(d);
    }
}
