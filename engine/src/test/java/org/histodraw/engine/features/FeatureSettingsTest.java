package org.histodraw.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.histodraw.engine.colour.StainVector;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.Test;

class FeatureSettingsTest {

    @Test
    void scikitImagePresetHasSixtyFeaturesAsTheOriginalService() {
        FeatureSettings s = FeatureSettings.scikitImage();
        assertThat(s.featureCount()).isEqualTo(60);
        assertThat(s.sigmas()).containsExactly(1.0, 2.0, 4.0, 8.0, 16.0);
        assertThat(s.channels()).isEqualTo(ChannelSet.RGB);
    }

    @Test
    void ilastikPresetHasAllKindsAtTheCanonicalScales() {
        FeatureSettings s = FeatureSettings.ilastik();
        assertThat(s.kinds()).containsExactly(FeatureKind.values());
        assertThat(s.sigmas()).containsExactly(0.3, 0.7, 1.0, 1.6, 3.5, 5.0, 10.0);
        assertThat(s.featureCount()).isEqualTo(3 * 7 * 8);
    }

    @Test
    void haloIsTheLargestKernelReachPlusTheDerivativeStep() {
        // floor(4 * 16 + 0.5) = 64, plus one for the finite differences.
        assertThat(FeatureSettings.scikitImage().halo()).isEqualTo(65);
        // Structure tensor at 10: 40 + 1 + floor(4 * 5 + 0.5) = 61.
        assertThat(FeatureSettings.ilastik().halo()).isEqualTo(61);
        assertThat(FeatureSettings.parse("kinds=gaussian;sigmas=0.3").halo()).isEqualTo(1);
        assertThat(FeatureKind.DIFFERENCE_OF_GAUSSIANS.halo(2)).isEqualTo(8);
    }

    @Test
    void textFormReadsBackToTheSameSettings() {
        for (FeatureSettings s : List.of(FeatureSettings.scikitImage(), FeatureSettings.ilastik(),
                FeatureSettings.defaults(),
                FeatureSettings.parse("kinds=dog,structure;sigmas=0.35,12.25;channels=rgb+hdab"))) {
            assertThat(FeatureSettings.parse(s.toText())).isEqualTo(s);
        }
        assertThat(FeatureSettings.scikitImage().toText())
                .isEqualTo("kinds=gaussian,gradient,hessian;sigmas=1,2,4,8,16;channels=rgb");
        assertThat(FeatureSettings.ilastik().toText()).contains("sigmas=0.3,0.7,1,1.6,3.5,5,10");
    }

    @Test
    void parsingIgnoresSpacesCaseAndKeyOrderAndDefaultsToRgb() {
        FeatureSettings s = FeatureSettings.parse(" Sigmas = 1, 2 ; KINDS=Gaussian , HESSIAN_EIGENVALUES ");
        assertThat(s).isEqualTo(new FeatureSettings(
                List.of(FeatureKind.GAUSSIAN, FeatureKind.HESSIAN_EIGENVALUES), List.of(1.0, 2.0), ChannelSet.RGB));
        assertThat(FeatureSettings.parse("kinds=log;sigmas=3;channels=RGB+HE").channels())
                .isEqualTo(ChannelSet.RGB_HEMATOXYLIN_EOSIN);
    }

    @Test
    void parseErrorsNameTheFaultyPart() {
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian,blur;sigmas=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'blur'").hasMessageContaining("known:");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1,x"))
                .hasMessageContaining("sigma is not a number: 'x'");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian"))
                .hasMessageContaining("missing 'sigmas'");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=cmyk"))
                .hasMessageContaining("unknown channel set 'cmyk'");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;colour=rgb"))
                .hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1,,2"))
                .hasMessageContaining("empty item");
        assertThatThrownBy(() -> FeatureSettings.parse("gaussian"))
                .hasMessageContaining("expected key=value");
    }

    @Test
    void invalidSettingsAreRejectedWithTheirValues() {
        List<FeatureKind> g = List.of(FeatureKind.GAUSSIAN);
        assertThatThrownBy(() -> new FeatureSettings(g, List.of(1.0, 0.0))).hasMessageContaining("0.0");
        assertThatThrownBy(() -> new FeatureSettings(g, List.of(-2.0))).hasMessageContaining("-2.0");
        assertThatThrownBy(() -> new FeatureSettings(g, List.of(Double.NaN))).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new FeatureSettings(g, List.of(100.0))).hasMessageContaining("100.0");
        assertThatThrownBy(() -> new FeatureSettings(g, List.of())).hasMessageContaining("at least one sigma");
        assertThatThrownBy(() -> new FeatureSettings(List.of(), List.of(1.0))).hasMessageContaining("at least one feature kind");
        assertThatThrownBy(() -> new FeatureSettings(List.of(FeatureKind.GAUSSIAN, FeatureKind.GAUSSIAN), List.of(1.0)))
                .hasMessageContaining("must not repeat");
        assertThatThrownBy(() -> new FeatureSettings(g, List.of(2.0, 2.0))).hasMessageContaining("must not repeat: 2");
    }

    @Test
    void featureNamesSayChannelKindAndScale() {
        FeatureBank bank = new FeatureBank(FeatureSettings.parse("kinds=gaussian,hessian;sigmas=1.6;channels=he"));
        assertThat(bank.featureNames()).containsExactly(
                "Hematoxylin Gaussian σ=1.6",
                "Hematoxylin Hessian eigenvalue 1 σ=1.6",
                "Hematoxylin Hessian eigenvalue 2 σ=1.6",
                "Eosin Gaussian σ=1.6",
                "Eosin Hessian eigenvalue 1 σ=1.6",
                "Eosin Hessian eigenvalue 2 σ=1.6");
        assertThat(new FeatureBank(FeatureSettings.ilastik()).featureNames()).hasSize(168).doesNotHaveDuplicates();
    }

    @Test
    void customStainVectorsOverrideThePresetAndReadBackExactly() {
        FeatureSettings s = FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=hdab;stains= 0.62,0.73,0.29 / 0.274,0.487,0.829");
        assertThat(s.stains().first()).isEqualTo(new StainVector("Hematoxylin", 0.62, 0.73, 0.29));
        assertThat(s.stains().second()).isEqualTo(new StainVector("DAB", 0.274, 0.487, 0.829));
        assertThat(s.customStains()).isTrue();
        assertThat(s.toText()).isEqualTo("kinds=gaussian;sigmas=1;channels=hdab;stains=0.62,0.73,0.29/0.274,0.487,0.829");
        assertThat(FeatureSettings.parse(s.toText())).isEqualTo(s);
        // Any double reads back to itself, so a model deconvolves with the vectors it was trained with.
        StainVectors odd = new StainVectors(new StainVector("Hematoxylin", 0.1 + 0.2, Math.PI / 4, 1e-7),
                StainVector.EOSIN);
        FeatureSettings withOdd = FeatureSettings.defaults().withStains(odd);
        assertThat(FeatureSettings.parse(withOdd.toText())).isEqualTo(withOdd);
    }

    @Test
    void presetStainsAreLeftOutOfTheTextSoEarlierModelsKeepTheirText() {
        assertThat(FeatureSettings.defaults().stains()).isEqualTo(StainVectors.HEMATOXYLIN_EOSIN);
        assertThat(FeatureSettings.defaults().toText()).doesNotContain("stains");
        assertThat(FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he;stains=0.65,0.704,0.286/0.072,0.99,0.105"))
                .isEqualTo(FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he"));
        assertThat(FeatureSettings.scikitImage().stains()).isNull();
    }

    @Test
    void customStainsChangeTheStainChannelsOnly() {
        Raster rgb = TestImages.tissue(40, 30, 5);
        FeatureSettings preset = FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=rgb+he");
        FeatureSettings own = preset.withStains(new StainVectors(new StainVector("H", 0.6, 0.75, 0.28),
                new StainVector("E", 0.3, 0.88, 0.36)));
        Raster a = new FeatureBank(preset).compute(rgb);
        Raster b = new FeatureBank(own).compute(rgb);
        for (int f = 0; f < 3; f++) {
            assertThat(b.plane(f)).as("RGB feature %d", f).containsExactly(a.plane(f));
        }
        assertThat(b.plane(3)).isNotEqualTo(a.plane(3));
        assertThat(own.withChannels(ChannelSet.HEMATOXYLIN_EOSIN).stains()).isEqualTo(own.stains());
        assertThat(own.withChannels(ChannelSet.HEMATOXYLIN_DAB).stains()).isEqualTo(StainVectors.HEMATOXYLIN_DAB);
    }

    @Test
    void badStainVectorsAreNamedInTheError() {
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=rgb;stains=1,0,0/0,1,0"))
                .hasMessageContaining("'stains' needs stain channels");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he;stains=1,0,0"))
                .hasMessageContaining("two stains as r,g,b/r,g,b");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he;stains=1,0/0,1,0"))
                .hasMessageContaining("Hematoxylin needs three optical densities");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he;stains=1,0,x/0,1,0"))
                .hasMessageContaining("'x', which is not a number");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he;stains=1,0,0/0,-1,0"))
                .hasMessageContaining("Eosin has -1");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he;stains=1,0,0/NaN,1,0"))
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he;stains=0,0,0/0,1,0"))
                .hasMessageContaining("must not be zero");
        assertThatThrownBy(() -> FeatureSettings.parse("kinds=gaussian;sigmas=1;channels=he;stains=1,1,0/2,2,0"))
                .hasMessageContaining("same colour");
        assertThatThrownBy(() -> new FeatureSettings(List.of(FeatureKind.GAUSSIAN), List.of(1.0), ChannelSet.RGB,
                Normalisation.NONE, StainVectors.HEMATOXYLIN_DAB)).hasMessageContaining("need stain channels");
    }
}
