package org.histodraw.slides.io;

import java.util.List;
import org.histodraw.engine.raster.PixelRegion;

/** The checks every reader makes before reading a region: open, an existing level, a region inside it. */
final class LevelRegions {
    private LevelRegions() {
    }

    /** The level a read may go ahead on; IllegalStateException when closed, IllegalArgumentException otherwise. */
    static SlideLevel check(SlideImage slide, boolean closed, int level, PixelRegion region) {
        if (closed) {
            throw new IllegalStateException("slide image is closed: " + slide.file());
        }
        List<SlideLevel> levels = slide.levels();
        if (level < 0 || level >= levels.size()) {
            throw new IllegalArgumentException("level must be 0.." + (levels.size() - 1) + ": " + level);
        }
        SlideLevel l = levels.get(level);
        if (region.isEmpty() || !PixelRegion.of(l.width(), l.height()).contains(region)) {
            throw new IllegalArgumentException("region " + region + " must be non-empty and inside level " + level
                    + " (" + l.width() + " x " + l.height() + ") of " + slide.file());
        }
        return l;
    }
}
