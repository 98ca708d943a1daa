package org.histodraw.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.histodraw.engine.colour.StainVector;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.FeatureSettings;
import org.junit.jupiter.api.Test;

class FeatureChoiceTest {
    /** As estimated on GBM slide 01 (H&E) and on the IHC demo image (H-DAB). */
    private static final StainVectors GBM = new StainVectors(new StainVector("Hematoxylin", 0.585, 0.76, 0.283),
            new StainVector("Eosin", 0.275, 0.901, 0.336));
    private static final StainVectors IHC = new StainVectors(new StainVector("Hematoxylin", 0.672, 0.643, 0.368),
            new StainVector("Eosin", 0.274, 0.487, 0.829));

    @Test
    void scribblesInsideNucleiOnHAndEKeepTheDefaultBank() {
        FeatureChoice.Result r = FeatureChoice.automatic(GBM, 5, 512);
        assertThat(r.chosen()).isEqualTo(FeatureSettings.defaults());
        assertThat(r.automatic()).isTrue();
        assertThat(r.describe()).contains("channels he").contains("levels 1,2 ").contains("5 px");
    }

    @Test
    void largerStructuresAddCoarserLevelsUpToHalfTheirRadius() {
        assertThat(FeatureChoice.automatic(GBM, 7.9, 4096).chosen().levels()).containsExactly(1, 2);
        assertThat(FeatureChoice.automatic(GBM, 8, 4096).chosen().levels()).containsExactly(1, 2, 4);
        assertThat(FeatureChoice.automatic(GBM, 20, 4096).chosen().levels()).containsExactly(1, 2, 4, 8);
        assertThat(FeatureChoice.automatic(GBM, 95, 4096).chosen().levels()).containsExactly(1, 2, 4, 8, 16);
    }

    @Test
    void aLevelNarrowerThan64PixelsIsLeftOut() {
        assertThat(FeatureChoice.automatic(GBM, 95, 512).chosen().levels()).containsExactly(1, 2, 4, 8);
        assertThat(FeatureChoice.automatic(GBM, 95, 255).chosen().levels()).containsExactly(1, 2);
    }

    @Test
    void slidesWhoseSecondStainIsNotEosinOrWithoutStainAreSeenInRgb() {
        FeatureChoice.Result ihc = FeatureChoice.automatic(IHC, 20, 512);
        assertThat(ihc.chosen().channels()).isEqualTo(ChannelSet.RGB);
        assertThat(ihc.reason()).contains("from DAB");
        assertThat(FeatureChoice.automatic((StainVectors) null, 5, 512).chosen().channels()).isEqualTo(ChannelSet.RGB);
        assertThat(FeatureChoice.automatic(StainVectors.HEMATOXYLIN_EOSIN, Double.NaN, 512).chosen().levels())
                .isEqualTo(List.of(1, 2));
    }

    @Test
    void aProjectsStainFixesTheChannelsAndTheLabelsStillChooseTheLevels() {
        FeatureChoice.Result r = FeatureChoice.onChannels(ChannelSet.HEMATOXYLIN_DAB, 20, 512);
        assertThat(r.chosen().channels()).isEqualTo(ChannelSet.HEMATOXYLIN_DAB);
        assertThat(r.chosen().levels()).containsExactly(1, 2, 4, 8);
        assertThat(r.automatic()).isTrue();
        assertThat(r.reason()).contains("channels hdab (given)");
    }

    @Test
    void givenFeaturesAreDescribedAsGiven() {
        FeatureSettings s = FeatureSettings.scikitImage();
        assertThat(FeatureChoice.Result.given(s).automatic()).isFalse();
        assertThat(FeatureChoice.Result.given(s).describe()).isEqualTo("features given: " + s.toText());
    }
}
