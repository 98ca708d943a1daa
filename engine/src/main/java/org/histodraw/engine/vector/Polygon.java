package org.histodraw.engine.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A polygon with holes: one outer ring (shell) and zero or more inner rings (holes). */
public record Polygon(Ring shell, List<Ring> holes) {

    public Polygon {
        Objects.requireNonNull(shell, "shell");
        holes = List.copyOf(holes);
    }

    public Polygon(Ring shell) {
        this(shell, List.of());
    }

    /** The same polygon with every coordinate multiplied by {@code factor} (from a level's pixels to the slide's). */
    public Polygon scaled(double factor) {
        List<Ring> scaledHoles = new ArrayList<>(holes.size());
        for (Ring h : holes) {
            scaledHoles.add(scale(h, factor));
        }
        return new Polygon(scale(shell, factor), scaledHoles);
    }

    private static Ring scale(Ring ring, double factor) {
        double[] xy = ring.coordinates();
        for (int i = 0; i < xy.length; i++) {
            xy[i] *= factor;
        }
        return new Ring(xy);
    }

    /** Area of the shell minus the areas of the holes. */
    public double area() {
        double a = shell.area();
        for (Ring h : holes) {
            a -= h.area();
        }
        return a;
    }
}
