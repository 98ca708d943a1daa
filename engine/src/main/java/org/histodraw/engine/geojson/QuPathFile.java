package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.vector.Polygon;

/**
 * What reading a QuPath GeoJSON file gave, feature by feature: the objects that can become regions
 * and the features that cannot, each with the reason. Nothing in a file is dropped without an
 * entry in one of the two lists.
 */
public record QuPathFile(List<QuPathObject> objects, List<Skipped> skipped) {

    public QuPathFile {
        objects = List.copyOf(objects);
        skipped = List.copyOf(skipped);
    }

    /**
     * The classified objects' polygons as training regions, with the class list in order of first
     * appearance (colours from the file where given). Unclassified objects are left out: say so
     * with {@link #unclassified()}.
     */
    public LabelledRegions labelled() {
        List<Features.Named> named = new ArrayList<>();
        for (QuPathObject o : objects) {
            if (o.classification() != null) {
                for (Polygon p : o.polygons()) {
                    named.add(new Features.Named(o.classification().name(), o.classification().rgb(), p));
                }
            }
        }
        return Features.collect(named);
    }

    /** The objects without a class. */
    public List<QuPathObject> unclassified() {
        return objects.stream().filter(o -> o.classification() == null).toList();
    }
}
