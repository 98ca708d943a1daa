package org.histodraw.engine.geojson;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A region's class as a file gives it: the name, and the colour as 0xRRGGBB or -1 when the file
 * gives none. A QuPath derived class (for example {@code Tumor: Positive}, written as
 * {@code "names": ["Tumor", "Positive"]}) is one name whose parts are joined by {@value #SEPARATOR},
 * as QuPath itself prints it.
 */
public record Classification(String name, int rgb) {
    /** What joins the parts of a derived class name, as in QuPath. */
    public static final String SEPARATOR = ": ";

    public Classification {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("class name must not be blank");
        }
        if (rgb < -1 || rgb > 0xffffff) {
            throw new IllegalArgumentException("colour must be 0xRRGGBB or -1: " + rgb);
        }
    }

    /** The parts of a derived class, base first ({@code ["Tumor", "Positive"]}); one part otherwise. */
    public List<String> parts() {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = name.indexOf(SEPARATOR); at >= 0; at = name.indexOf(SEPARATOR, from)) {
            parts.add(name.substring(from, at));
            from = at + SEPARATOR.length();
        }
        parts.add(name.substring(from));
        return parts;
    }

    /** The class this one is derived from ({@code Tumor} for {@code Tumor: Positive}), or null for a base class. */
    public String parent() {
        int at = name.lastIndexOf(SEPARATOR);
        return at < 0 ? null : name.substring(0, at);
    }

    public boolean hasColour() {
        return rgb >= 0;
    }
}
