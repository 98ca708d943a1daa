package org.histodraw.app.microdraw;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * MicroDraw's example data (github.com/neuroanatomy/microdraw, {@code app/public/test_data}: the
 * source description {@code cat.json} and its two Deep Zoom images, cat 480 x 360 and doge
 * 2048 x 1024, and doge's original JPEG). MicroDraw is GPL-3 and its pictures are not ours to ship,
 * so the project keeps no copy: the tests fetch the files they read, at a fixed commit, into a
 * cache outside the project ({@code ~/.cache/histodraw/test-data/microdraw-COMMIT}, laid out like
 * MicroDraw's {@code app/public}), or read a copy named by {@code -Dhistodraw.microdraw=DIR}.
 * Without either (offline, no copy) the tests skip with a message.
 */
final class MicroDrawExample {
    static final String COMMIT = "725a7a4d8fe87acadcc560e53b3af92ff97641b7";
    private static final String BASE = "https://raw.githubusercontent.com/neuroanatomy/microdraw/" + COMMIT + "/app/public/";

    private MicroDrawExample() {
    }

    /** MicroDraw's public folder holding {@code test_data/}; skips the test when it cannot be had. */
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
        if (!missing.isEmpty() && given == null) {
            try {
                fetch(root, missing);
                missing.clear();
            } catch (IOException e) {
                assumeTrue(false, "MicroDraw's example data is not in " + root + " and cannot be fetched from GitHub ("
                        + e.getMessage() + "): put a copy of its app/public/test_data there, or name one with -Dhistodraw.microdraw=DIR");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        assumeTrue(missing.isEmpty(), "MicroDraw's example data lacks " + missing + " in " + root);
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

    private static void fetch(Path root, List<String> files) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
        for (String file : files) {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(BASE + file)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw new IOException("GET " + BASE + file + " answered " + r.statusCode());
            }
            Path target = root.resolve(file);
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            try (InputStream in = r.body()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
