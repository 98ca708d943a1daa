package org.histodraw.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
}
