package org.histodraw.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.OutputType;

/**
 * The screenshots of docs/viewer.md: taken by the browser tests when {@code -Dhistodraw.docs.screenshots=DIR}
 * names the folder (web/screenshots.sh sets it to docs/images), so the pictures show what the tests saw.
 */
final class Screenshots {
    private Screenshots() {
    }

    static void forDocs(Browser b, String name) {
        String dir = System.getProperty("histodraw.docs.screenshots", "");
        if (dir.isBlank()) {
            return;
        }
        try {
            Path folder = Files.createDirectories(Path.of(dir));
            Files.write(folder.resolve(name + ".png"), b.driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
