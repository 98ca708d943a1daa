package org.histodraw.app.microdraw;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MicroDraw's own example data (github.com/neuroanatomy/microdraw, {@code app/public/test_data}: the
 * source description {@code cat.json}, its Deep Zoom images cat 480 x 360 and doge 2048 x 1024, and
 * doge's original JPEG), for the extra tests that run when a local copy is present. MicroDraw is
 * GPL-3 and its pictures are not ours to ship, and tests download nothing, so the copy is made by
 * hand: {@code git clone https://github.com/neuroanatomy/microdraw} (commit {@value #COMMIT} was
 * tested) and name its {@code app/public} with {@code -Dhistodraw.microdraw=DIR}, or put it at
 * {@code ~/.cache/histodraw/test-data/microdraw-COMMIT}. Without one these tests skip with this
 * advice; the committed {@link MicroDrawFixture} covers the same formats everywhere.
 */
final class MicroDrawExample {
    static final String COMMIT = "725a7a4d8fe87acadcc560e53b3af92ff97641b7";

    private MicroDrawExample() {
    }

    /** MicroDraw's public folder holding {@code test_data/}; skips the test when there is no copy. */
    static Path root() {
        String given = System.getProperty("histodraw.microdraw");
        Path root = given != null ? Path.of(given)
                : Path.of(System.getProperty("user.home"), ".cache", "histodraw", "test-data", "microdraw-" + COMMIT);
        List<String> missing = new ArrayList<>();
        for (String file : files()) {
            if (!Files.isRegularFile(root.resolve(file))) {
                missing.add(file);
            }
        }
        assumeTrue(missing.isEmpty(), () -> "MicroDraw's own example data is not in " + root + " (lacks " + missing.get(0)
                + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "") + "): clone github.com/neuroanatomy/microdraw "
                + "and name its app/public with -Dhistodraw.microdraw=DIR to run this extra test");
        return root;
    }

    /** The files the tests read: the descriptions, the top level of both pyramids, doge's original. */
    static List<String> files() {
        List<String> files = new ArrayList<>(List.of("test_data/cat.json", "test_data/cat.dzi", "test_data/doge.dzi", "test_data/doge/doge.jpg"));
        for (int c = 0; c < 2; c++) {
            for (int r = 0; r < 2; r++) {
                files.add("test_data/cat_files/9/" + c + "_" + r + ".jpeg");
            }
        }
        for (int c = 0; c < 9; c++) {
            for (int r = 0; r < 5; r++) {
                files.add("test_data/doge_files/11/" + c + "_" + r + ".jpeg");
            }
        }
        return files;
    }
}
