package org.histodraw.engine.geojson;

import java.util.List;
import java.util.Objects;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.vector.ClassifiedPolygon;

/** Regions read from a file together with the classes they use, in order of first appearance. */
public record LabelledRegions(ClassList classes, List<ClassifiedPolygon> regions) {

    public LabelledRegions {
        Objects.requireNonNull(classes, "classes");
        regions = List.copyOf(regions);
    }
}
