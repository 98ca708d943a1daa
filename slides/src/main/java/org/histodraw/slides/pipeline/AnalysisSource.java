package org.histodraw.slides.pipeline;

import java.util.List;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.slides.display.ImageChannel;
import org.histodraw.slides.io.SlideImage;

/**
 * The pixels a model's features read from a slide: the original values of the slide's channels for
 * features on picked image channels ({@code channels=image:1,3}), the slide's RGB for the colour
 * channel sets. A slide that is not 8-bit colour (16-bit, float, fluorescence channels) is refused
 * for colour features with the reason and the channels to pick, because colour features would see
 * only its display (a brightness-and-contrast choice), not its values.
 */
public final class AnalysisSource {
    private AnalysisSource() {
    }

    /** The source for {@code features} on {@code slide}; IllegalArgumentException when they do not fit. */
    public static TileSource of(SlideImage slide, FeatureSettings given) {
        List<ImageChannel> channels = slide.channels();
        // Features left to training's choice are colour features: checked as the default bank.
        FeatureSettings features = given != null ? given : FeatureSettings.defaults();
        if (features.channels() != ChannelSet.IMAGE) {
            if (!slide.rgb()) {
                throw new IllegalArgumentException(slide.file().getFileName() + " has " + describe(channels)
                        + ": colour features (channels=" + features.channels().token() + ") would see only its display, not its values; "
                        + "pick its channels, e.g. --features '" + features.withChannels(ChannelSet.RGB).toText()
                        .replace("channels=rgb", "channels=image:" + suggestion(channels.size())) + "'");
            }
            return slide;
        }
        for (int c : features.imageChannels()) {
            if (c > channels.size()) {
                throw new IllegalArgumentException("the features use image channel " + c + " but " + slide.file().getFileName()
                        + " has " + describe(channels));
            }
        }
        return new TileSource() {
            @Override
            public int width() {
                return slide.width();
            }

            @Override
            public int height() {
                return slide.height();
            }

            @Override
            public Raster read(PixelRegion region) {
                Raster r = slide.readChannels(0, region);
                for (int c = 0; c < r.channels(); c++) {
                    float[] p = r.plane(c);
                    for (int i = 0; i < p.length; i++) {
                        if (Float.isNaN(p[i])) {
                            p[i] = 0; // a float image's missing data: features need numbers
                        }
                    }
                }
                return r;
            }
        };
    }

    /** "5 uint16 channels (DAPI, FITC, ...)". */
    public static String describe(List<ImageChannel> channels) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < channels.size(); i++) {
            names.append(i == 0 ? "" : ", ").append(i + 1).append(' ').append(channels.get(i).name());
        }
        return channels.size() + " " + channels.get(0).sample() + " channel" + (channels.size() == 1 ? "" : "s") + " (" + names + ")";
    }

    private static String suggestion(int count) {
        StringBuilder s = new StringBuilder();
        for (int c = 1; c <= Math.min(count, 3); c++) {
            s.append(c == 1 ? "" : ",").append(c);
        }
        return s.toString();
    }
}
