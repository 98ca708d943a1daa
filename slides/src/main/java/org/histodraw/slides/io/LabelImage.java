package org.histodraw.slides.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.raster.LabelRaster;

/**
 * A label image as read by {@link LabelImages}: the labels (0 = unlabelled), the class values found
 * (ascending, without 0), and for images drawn in colours the colour each value came from.
 */
public record LabelImage(LabelRaster labels, List<Integer> values, Map<Integer, Integer> colours) {

    public LabelImage {
        values = List.copyOf(values);
        colours = Map.copyOf(colours);
    }

    /** The highest class value found (0 when nothing is labelled). */
    public int maxValue() {
        return values.isEmpty() ? 0 : values.get(values.size() - 1);
    }

    /** The colour a class value was drawn in (colour images only). */
    public Optional<Integer> colourOf(int value) {
        return Optional.ofNullable(colours.get(value));
    }

    /**
     * Classes 1..K for this image, K being the larger of the highest value found and the number of
     * names: class {@code i} is named {@code names[i - 1]} when given ("Class i" otherwise) and takes
     * the colour it was drawn in, or a default colour.
     */
    public ClassList classes(List<String> names) {
        int k = Math.max(maxValue(), names.size());
        List<ImageClass> list = new ArrayList<>();
        for (int i = 1; i <= k; i++) {
            String name = i <= names.size() ? names.get(i - 1) : "Class " + i;
            list.add(new ImageClass(i, name, colourOf(i).orElse(ImageClass.defaultColour(i))));
        }
        return new ClassList(list);
    }
}
