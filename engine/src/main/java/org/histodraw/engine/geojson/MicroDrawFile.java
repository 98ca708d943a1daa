package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.vector.Polygon;

/** What reading a MicroDraw file gave: its annotations (regions, lines, texts) and what could not be read, with why. */
public record MicroDrawFile(List<MicroDrawAnnotation> annotations, List<Skipped> skipped) {
    public MicroDrawFile {
        annotations = List.copyOf(annotations);
        skipped = List.copyOf(skipped);
    }

    /** The regions only. */
    public List<MicroDrawAnnotation> regions() {
        return annotations.stream().filter(a -> a.kind() == MicroDrawAnnotation.Kind.REGION).toList();
    }

    /** The regions' polygons as training regions, classes (region names) in order of first appearance. */
    public LabelledRegions labelled() {
        List<Features.Named> named = new ArrayList<>();
        for (MicroDrawAnnotation a : regions()) {
            for (Polygon p : a.polygons()) {
                named.add(new Features.Named(a.name(), a.rgb(), p));
            }
        }
        return Features.collect(named);
    }
}
