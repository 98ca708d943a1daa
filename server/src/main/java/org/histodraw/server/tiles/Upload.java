package org.histodraw.server.tiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of an upload the web server has received whole, and how they reach the file a slide is
 * kept in. A web server that spooled a large upload to a file on the data folder's disk moves that
 * file into place: a rename, so the bytes are written once (no second copy of gigabytes in the
 * upload's request) and no spool file of gigabytes is deleted after the answer.
 */
@FunctionalInterface
public interface Upload {
    /** Puts the upload's bytes at {@code file}, which does not exist yet. */
    void saveTo(Path file) throws IOException;

    /** An upload read from a stream, copied into place. */
    static Upload of(InputStream content) {
        return file -> Files.copy(content, file);
    }
}
