package org.histodraw.engine.vector;

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

    /** Area of the shell minus the areas of the holes. */
    public double area() {
        double a = shell.area();
        for (Ring h : holes) {
            a -= h.area();
        }
        return a;
    }
}
