package org.histodraw.slides.io;

import java.nio.file.Path;

/**
 * An image file that cannot be used, with a message a user can act on: it names the file and the
 * problem ("not an image we can read: notes.txt", "truncated PNG: a.png (...)"). Unchecked because
 * it also surfaces from {@link SlideImage#read}, which {@code TileSource} declares without checked
 * exceptions.
 */
public class SlideException extends RuntimeException {
    private final transient Path file;

    public SlideException(Path file, String problem) {
        super(problem + ": " + file);
        this.file = file;
    }

    /** "problem: file (detail)". */
    public SlideException(Path file, String problem, String detail) {
        super(problem + ": " + file + " (" + detail + ")");
        this.file = file;
    }

    public SlideException(Path file, String problem, Throwable cause) {
        super(problem + ": " + file + detail(cause), cause);
        this.file = file;
    }

    private SlideException(Path file, String message, Throwable cause, boolean exact) {
        super(message, cause);
        this.file = file;
    }

    /**
     * The same problem told about another path: a copy that failed is reported under the name of the
     * file the user gave.
     */
    public SlideException naming(Path other) {
        return new SlideException(other, String.valueOf(getMessage()).replace(String.valueOf(file), String.valueOf(other)),
                this, true);
    }

    /** The file the problem is about. */
    public Path file() {
        return file;
    }

    private static String detail(Throwable cause) {
        String m = cause == null ? null : cause.getMessage();
        return m == null || m.isBlank() ? "" : " (" + m.strip() + ")";
    }
}
