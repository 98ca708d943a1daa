package org.histodraw.slides.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.histodraw.slides.png.PngWriter;

/** A target file written as "name.part" and renamed when complete. */
final class PartFile {
    private final Path target;
    private final Path part;
    private final OutputStream stream;
    private boolean done;

    private PartFile(Path target, Path part, OutputStream stream) {
        this.target = target;
        this.part = part;
        this.stream = stream;
    }

    static PartFile create(Path target) {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            return new PartFile(target, part, new BufferedOutputStream(java.nio.file.Files.newOutputStream(part), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    OutputStream stream() {
        return stream;
    }

    Path target() {
        return target;
    }

    void complete(PngWriter png) {
        if (done) {
            return;
        }
        if (png.rowsWritten() != png.height()) {
            int rows = png.rowsWritten();
            png.close();
            abort();
            throw new IllegalStateException("image incomplete, not written: " + target + " (" + rows + " of " + png.height() + " rows)");
        }
        try {
            png.finish();
            stream.close();
            try {
                java.nio.file.Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                java.nio.file.Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e instanceof IOException io ? new UncheckedIOException("cannot write " + target + ": " + io.getMessage(), io)
                    : (RuntimeException) e;
        }
    }

    void abort() {
        if (done) {
            return;
        }
        done = true;
        try {
            stream.close();
        } catch (IOException ignored) {
            // the partial file is deleted next; a failed close changes nothing
        }
        try {
            java.nio.file.Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // best effort: a stale .part file is harmless and named as such
        }
    }
}
