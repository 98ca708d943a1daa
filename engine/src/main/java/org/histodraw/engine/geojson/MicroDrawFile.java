package org.histodraw.engine.geojson;

import java.util.List;

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
}
