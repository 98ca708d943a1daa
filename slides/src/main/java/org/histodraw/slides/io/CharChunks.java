package org.histodraw.slides.io;

import java.io.IOException;
import java.io.Writer;

/**
 * Characters gathered in a 64 KiB array and handed to a {@link Writer} a chunk at a time, for a
 * writer of many small appends (the JSON of a slide's polygons, a few characters per call):
 * twice as fast as appending to a {@code BufferedWriter} itself, which checks and locks on every
 * call. Call {@link #flush} before closing the writer. Not thread-safe.
 */
final class CharChunks implements Appendable {
    private final Writer out;
    private final char[] chunk = new char[1 << 16];
    private int used;

    CharChunks(Writer out) {
        this.out = out;
    }

    @Override
    public Appendable append(char c) throws IOException {
        if (used == chunk.length) {
            flush();
        }
        chunk[used++] = c;
        return this;
    }

    @Override
    public Appendable append(CharSequence s) throws IOException {
        return append(s, 0, s.length());
    }

    @Override
    public Appendable append(CharSequence s, int start, int end) throws IOException {
        for (int i = start; i < end; i++) {
            if (used == chunk.length) {
                flush();
            }
            chunk[used++] = s.charAt(i);
        }
        return this;
    }

    /** Hands what is gathered to the writer (which keeps its own buffer: flush that too to reach the file). */
    void flush() throws IOException {
        out.write(chunk, 0, used);
        used = 0;
    }
}
