package org.histodraw.enginejs;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Polygon;
import org.histodraw.engine.vector.Ring;

/**
 * Where an image fetched for the browser sits on the slide: its pixel (0, 0) starts at slide pixel
 * ({@code originX}, {@code originY}) and one of its pixels spans {@code scale} slide pixels (2 when
 * the viewer shows the slide at half resolution). Regions come in and go out in slide pixels.
 */
public record ViewFrame(double originX, double originY, double scale) {

    public ViewFrame {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the scale must be a positive number of slide pixels per image pixel: " + scale);
        }
        if (!Double.isFinite(originX) || !Double.isFinite(originY)) {
            throw new IllegalArgumentException("the origin must be finite: " + originX + ", " + originY);
        }
    }

    /** The image is the slide itself. */
    public static ViewFrame identity() {
        return new ViewFrame(0, 0, 1);
    }

    /** Slide-pixel regions in the image's pixels. */
    public List<ClassifiedPolygon> toImage(List<ClassifiedPolygon> regions) {
        return map(regions, -originX, -originY, 1 / scale, false);
    }

    /** Image-pixel polygons in the slide's pixels. */
    public List<ClassifiedPolygon> toSlide(List<ClassifiedPolygon> polygons) {
        return map(polygons, originX, originY, scale, true);
    }

    private List<ClassifiedPolygon> map(List<ClassifiedPolygon> in, double dx, double dy, double factor, boolean scaleFirst) {
        if (originX == 0 && originY == 0 && scale == 1) {
            return in;
        }
        List<ClassifiedPolygon> out = new ArrayList<>(in.size());
        for (ClassifiedPolygon p : in) {
            Polygon polygon = p.polygon();
            List<Ring> holes = new ArrayList<>(polygon.holes().size());
            for (Ring hole : polygon.holes()) {
                holes.add(map(hole, dx, dy, factor, scaleFirst));
            }
            out.add(new ClassifiedPolygon(p.imageClass(), new Polygon(map(polygon.shell(), dx, dy, factor, scaleFirst), holes)));
        }
        return out;
    }

    private static Ring map(Ring ring, double dx, double dy, double factor, boolean scaleFirst) {
        double[] xy = ring.coordinates();
        double[] out = new double[xy.length];
        for (int i = 0; i < xy.length; i += 2) {
            out[i] = scaleFirst ? xy[i] * factor + dx : (xy[i] + dx) * factor;
            out[i + 1] = scaleFirst ? xy[i + 1] * factor + dy : (xy[i + 1] + dy) * factor;
        }
        return new Ring(out);
    }
}
