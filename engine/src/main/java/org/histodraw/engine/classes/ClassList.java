package org.histodraw.engine.classes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The ordered classes of a model or label set; class {@code i} (1-based) has index {@code i}. */
public record ClassList(List<ImageClass> classes) {

    public ClassList {
        classes = List.copyOf(classes);
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).index() != i + 1) {
                throw new IllegalArgumentException("class " + classes.get(i).name() + " must have index " + (i + 1));
            }
        }
        for (int i = 0; i < classes.size(); i++) {
            for (int j = i + 1; j < classes.size(); j++) {
                if (classes.get(i).name().equals(classes.get(j).name())) {
                    throw new IllegalArgumentException("class name used twice: " + classes.get(i).name());
                }
            }
        }
    }

    /** Classes named "Class 1" .. "Class n" with default colours (for label images without names). */
    public static ClassList numbered(int n) {
        List<ImageClass> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(new ImageClass(i, "Class " + i, ImageClass.defaultColour(i)));
        }
        return new ClassList(list);
    }

    public static ClassList named(List<String> names) {
        List<ImageClass> list = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            list.add(new ImageClass(i + 1, names.get(i), ImageClass.defaultColour(i + 1)));
        }
        return new ClassList(list);
    }

    public int size() {
        return classes.size();
    }

    public ImageClass get(int index) {
        if (index < 1 || index > classes.size()) {
            throw new IllegalArgumentException("no class with index " + index + " (have " + classes.size() + ")");
        }
        return classes.get(index - 1);
    }

    /** The classes' names, in index order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(classes.size());
        for (ImageClass c : classes) {
            names.add(c.name());
        }
        return names;
    }

    /** The first (alphabetically) of {@code names} that is no class here, if any. */
    public Optional<String> firstUnknown(Collection<String> names) {
        String first = null;
        for (String n : names) {
            if (indexOf(n) < 0 && (first == null || n.compareTo(first) < 0)) {
                first = n;
            }
        }
        return Optional.ofNullable(first);
    }

    /** The class with this name, or -1. */
    public int indexOf(String name) {
        for (ImageClass c : classes) {
            if (c.name().equals(name)) {
                return c.index();
            }
        }
        return -1;
    }
}
