package org.histodraw.slides.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test images (../shared/data), skipped with a message when absent. */
final class SharedData {

    private SharedData() {
    }

    static Path file(String relative) {
        String root = System.getProperty("histodraw.data");
        assumeTrue(root != null, "shared test data not configured (system property histodraw.data)");
        Path file = Path.of(root).resolve(relative);
        assumeTrue(Files.isRegularFile(file), "shared test data absent: " + file);
        return file;
    }
}
