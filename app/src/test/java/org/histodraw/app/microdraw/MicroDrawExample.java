package org.histodraw.app.microdraw;

import java.nio.file.Path;

/**
 * MicroDraw's own example data, written by MicroDraw's software and copied verbatim with its GPL-3
 * notice from github.com/neuroanatomy/microdraw at commit {@value #COMMIT} into
 * {@code src/test/resources/org/histodraw/app/microdraw/microdraw-example/} (laid out like its
 * {@code app/public}; see the README there): the source description {@code test_data/cat.json},
 * the Deep Zoom images cat 480 x 360 and doge 2048 x 1024 (descriptors and the top level of their
 * pyramids), doge's original JPEG and the label set {@code js/10regions.json}. Committed, so the
 * tests read files MicroDraw wrote on every machine, CI included, and download nothing.
 */
final class MicroDrawExample {
    static final String COMMIT = "725a7a4d8fe87acadcc560e53b3af92ff97641b7";

    private MicroDrawExample() {
    }

    /** MicroDraw's public folder holding {@code test_data/} and {@code js/}. */
    static Path root() {
        return MicroDrawFixture.resource("microdraw-example");
    }
}
