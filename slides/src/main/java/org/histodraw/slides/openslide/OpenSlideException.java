package org.histodraw.slides.openslide;

/** OpenSlide's own error message for a slide it cannot open or read (from {@code openslide_get_error}). */
public final class OpenSlideException extends RuntimeException {
    public OpenSlideException(String message) {
        super(message);
    }
}
