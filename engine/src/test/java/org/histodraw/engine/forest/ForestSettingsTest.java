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
        assertThatThrownBy(() -> d.withTrees(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trees").hasMessageContaining(": 0");
        assertThatThrownBy(() -> d.withMaxDepth(65)).hasMessageContaining("maxDepth").hasMessageContaining("65");
        assertThatThrownBy(() -> d.withMinSamplesLeaf(0)).hasMessageContaining("minSamplesLeaf");
        assertThatThrownBy(() -> d.withFeaturesPerSplit(-1)).hasMessageContaining("featuresPerSplit");
        assertThatThrownBy(() -> d.withMaxSamplesPerTree(-5)).hasMessageContaining("maxSamplesPerTree")
                .hasMessageContaining("-5");
    }

    @Test
    void moreFeaturesPerSplitThanFeaturesIsRejected() {
        assertThatThrownBy(() -> ForestSettings.defaults().withFeaturesPerSplit(80).featuresPerSplit(60))
                .hasMessageContaining("80").hasMessageContaining("60 features");
    }
}
