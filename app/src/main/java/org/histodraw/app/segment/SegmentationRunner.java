package org.histodraw.app.segment;

import org.histodraw.app.Terminal;

/**
 * Does the work of {@code histodraw segment}: train (or load) a model, predict every image tile by
 * tile, write class maps, polygons and probabilities. The command has validated the request
 * (files exist, options in range, labels pair with images); what only reading the files can tell
 * (an unreadable image, labels of another size than their image) is reported by throwing
 * {@link org.histodraw.app.UserError} or {@link org.histodraw.slides.io.SlideException}, whose
 * message the user sees as one line.
 */
public class SegmentationRunner {

    public void run(SegmentRequest request, Terminal terminal) {
        throw new UnsupportedOperationException("wired by the lead");
    }
}
