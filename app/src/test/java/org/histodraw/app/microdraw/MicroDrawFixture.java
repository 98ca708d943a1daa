package org.histodraw.app.microdraw;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * A MicroDraw project made by hand for the tests, committed beside them
 * ({@code src/test/resources/org/histodraw/app/microdraw/}), in MicroDraw's formats exactly:
 * <ul>
 *   <li>{@code public/test_data/brains.json}: a source description as MicroDraw's
 *       {@code test_data/cat.json} is written ({@code tileSources}, here also {@code names},
 *       {@code pixelsPerMeter}, {@code fileID}), laid out like MicroDraw's {@code app/public};</li>
 *   <li>two Deep Zoom images made from {@code originals/} with {@code vips dzsave}, as MicroDraw's
 *       {@code test_data/deepzoom.sh} makes them: brain-01 480 x 360 in 256-px tiles (as its cat),
 *       brain-02 600 x 300 in vips' default 254-px tiles (as its doge), 1 px overlap, JPEG;</li>
 *   <li>{@code brains-annotations.json}: a {@code mongoexport} of MicroDraw's annotations
 *       collection ({@code {_id: {$oid}, fileID: "SOURCE&slice=NAME", user, project, Hash,
 *       annotation: {path, name, uid}, backup?}}, one document a line): alice's save of brain-01
 *       (a Cortex CompoundPath of two bézier ellipses, a White matter polygon) marked {@code backup}
 *       by bob's later save (Cortex changed, White matter gone, a PointText and an open line
 *       added), and a document of another source;</li>
 *   <li>{@code brain-02-api.json}: brain-02's documents as MicroDraw's {@code GET /api?source=&slice=&backup}
 *       answers them (a JSON array, {@code _id} a plain string): carol's Ventricle polygon, backed up,
 *       then the same uid as a circle of four béziers.</li>
 * </ul>
 * Uids are MicroDraw's ({@code Math.random().toString(16).slice(2)}), Hashes its
 * {@code hash(...).toString(16)}, coordinates its 1000-unit image width, colours Paper.js's 0..1.
 * The pictures are drawn for the project (synthetic brain sections), so they are ours to ship.
 */
final class MicroDrawFixture {
    private MicroDrawFixture() {
    }

    /** The folder laid out like MicroDraw's {@code app/public} (holding {@code test_data/}). */
    static Path root() {
        return resource("public");
    }

    static Path source() {
        return root().resolve("test_data/brains.json");
    }

    /** The images the pyramids were made from. */
    static Path original(String name) {
        return resource("originals/" + name);
    }

    static Path resource(String name) {
        URL url = MicroDrawFixture.class.getResource(name);
        if (url == null) {
            throw new AssertionError("test resource missing: " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
