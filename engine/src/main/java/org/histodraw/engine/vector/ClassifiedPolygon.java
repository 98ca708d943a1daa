package org.histodraw.engine.vector;

import org.histodraw.engine.classes.ImageClass;

/** A polygon labelled with the class it belongs to (a region drawn by a user, or traced from a class map). */
public record ClassifiedPolygon(ImageClass imageClass, Polygon polygon) {
    /** The same polygon with every coordinate multiplied by {@code factor} (a tissue map's to the slide's pixels). */
    public ClassifiedPolygon scaled(double factor) {
        return new ClassifiedPolygon(imageClass, polygon.scaled(factor));
    }
}
