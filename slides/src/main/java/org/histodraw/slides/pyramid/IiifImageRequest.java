package org.histodraw.slides.pyramid;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.histodraw.engine.raster.PixelRegion;

/**
 * One IIIF Image API 3 request, {@code {region}/{size}/{rotation}/{quality}.{format}}, resolved
 * against an image of known size into a rectangle of full-resolution pixels and an output size.
 *
 * <p>Supported: regions {@code full}, {@code square}, {@code x,y,w,h}, {@code pct:x,y,w,h};
 * sizes {@code max}, {@code w,}, {@code ,h}, {@code w,h}, {@code !w,h}, {@code pct:n} (no upscaling:
 * the {@code ^} forms are refused); rotation {@code 0}; qualities {@code default} and
 * {@code color}; formats {@code jpg}, {@code png} and {@code tif} (uncompressed RGB). Anything else fails with an
 * IllegalArgumentException naming the part and the value, which a server turns into 400.
 */
public record IiifImageRequest(PixelRegion region, int width, int height, TileFormat format) {
    private static final Pattern FOUR = Pattern.compile("(\\d+(?:\\.\\d+)?),(\\d+(?:\\.\\d+)?),(\\d+(?:\\.\\d+)?),(\\d+(?:\\.\\d+)?)");
    private static final Pattern QUALITY_FORMAT = Pattern.compile("(\\w+)\\.(\\w+)");

    /**
     * Parses and resolves a request against a {@code imageWidth x imageHeight} image whose outputs may
     * be at most {@code maxSide} pixels wide and high.
     */
    public static IiifImageRequest parse(String region, String size, String rotation, String qualityFormat,
                                         int imageWidth, int imageHeight, int maxSide) {
        PixelRegion r = region(region, imageWidth, imageHeight);
        int[] wh = size(size, r, maxSide);
        if (!"0".equals(rotation)) {
            throw new IllegalArgumentException("rotation not supported (only 0): " + rotation);
        }
        Matcher qf = QUALITY_FORMAT.matcher(qualityFormat);
        if (!qf.matches()) {
            throw new IllegalArgumentException("expected {quality}.{format}, e.g. default.jpg: " + qualityFormat);
        }
        if (!qf.group(1).equals("default") && !qf.group(1).equals("color")) {
            throw new IllegalArgumentException("quality not supported (default or color): " + qf.group(1));
        }
        TileFormat format = switch (qf.group(2)) {
            case "jpg" -> TileFormat.JPEG;
            case "png" -> TileFormat.PNG;
            case "tif" -> TileFormat.TIFF;
            default -> throw new IllegalArgumentException("format not supported (jpg, png or tif): " + qf.group(2));
        };
        return new IiifImageRequest(r, wh[0], wh[1], format);
    }

    static PixelRegion region(String region, int imageWidth, int imageHeight) {
        PixelRegion image = PixelRegion.of(imageWidth, imageHeight);
        if ("full".equals(region)) {
            return image;
        }
        if ("square".equals(region)) {
            int side = Math.min(imageWidth, imageHeight);
            return new PixelRegion((imageWidth - side) / 2, (imageHeight - side) / 2, side, side);
        }
        boolean pct = region.startsWith("pct:");
        Matcher m = FOUR.matcher(pct ? region.substring(4) : region);
        if (!m.matches()) {
            throw new IllegalArgumentException("region must be full, square, x,y,w,h or pct:x,y,w,h: " + region);
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            v[i] = Double.parseDouble(m.group(i + 1));
        }
        PixelRegion asked;
        if (pct) {
            asked = fromEdges(v[0] * imageWidth / 100, v[1] * imageHeight / 100,
                    (v[0] + v[2]) * imageWidth / 100, (v[1] + v[3]) * imageHeight / 100);
        } else {
            if (m.group(0).contains(".")) {
                throw new IllegalArgumentException("region x,y,w,h must be whole pixels: " + region);
            }
            asked = fromEdges(v[0], v[1], v[0] + v[2], v[1] + v[3]);
        }
        PixelRegion inside = asked.intersect(image);
        if (asked.isEmpty() || inside.isEmpty()) {
            throw new IllegalArgumentException("region " + region + " lies outside the " + imageWidth + " x " + imageHeight + " image");
        }
        return inside;
    }

    private static PixelRegion fromEdges(double x0, double y0, double x1, double y1) {
        long ix0 = Math.round(x0), iy0 = Math.round(y0), ix1 = Math.round(x1), iy1 = Math.round(y1);
        long cap = Integer.MAX_VALUE / 2;
        ix0 = Math.min(ix0, cap);
        iy0 = Math.min(iy0, cap);
        ix1 = Math.min(ix1, cap);
        iy1 = Math.min(iy1, cap);
        return new PixelRegion((int) ix0, (int) iy0, (int) Math.max(0, ix1 - ix0), (int) Math.max(0, iy1 - iy0));
    }

    static int[] size(String size, PixelRegion r, int maxSide) {
        if (size.startsWith("^")) {
            throw new IllegalArgumentException("upscaling (^) not supported: " + size);
        }
        double rw = r.width(), rh = r.height();
        int w, h;
        if ("max".equals(size)) {
            double s = Math.min(1, Math.min(maxSide / rw, maxSide / rh));
            w = (int) Math.max(1, Math.round(rw * s));
            h = (int) Math.max(1, Math.round(rh * s));
        } else if (size.startsWith("pct:")) {
            double pct = number(size.substring(4), size);
            if (!(pct > 0) || pct > 100) {
                throw new IllegalArgumentException("size pct:n needs 0 < n <= 100: " + size);
            }
            w = (int) Math.max(1, Math.round(rw * pct / 100));
            h = (int) Math.max(1, Math.round(rh * pct / 100));
        } else {
            boolean fit = size.startsWith("!");
            String s = fit ? size.substring(1) : size;
            int comma = s.indexOf(',');
            if (comma < 0 || s.indexOf(',', comma + 1) >= 0) {
                throw new IllegalArgumentException("size must be max, w,, ,h, w,h, !w,h or pct:n: " + size);
            }
            String ws = s.substring(0, comma), hs = s.substring(comma + 1);
            if (fit) {
                double s2 = Math.min(whole(ws, size) / rw, whole(hs, size) / rh);
                w = (int) Math.max(1, Math.round(rw * s2));
                h = (int) Math.max(1, Math.round(rh * s2));
            } else if (hs.isEmpty()) {
                w = whole(ws, size);
                h = (int) Math.max(1, Math.round(rh * w / rw));
            } else if (ws.isEmpty()) {
                h = whole(hs, size);
                w = (int) Math.max(1, Math.round(rw * h / rh));
            } else {
                w = whole(ws, size);
                h = whole(hs, size);
            }
        }
        if (w > r.width() || h > r.height()) {
            throw new IllegalArgumentException("size " + size + " would upscale the " + r.width() + " x " + r.height()
                    + " region to " + w + " x " + h + "; upscaling is not supported");
        }
        if (w > maxSide || h > maxSide) {
            throw new IllegalArgumentException("size " + size + " gives " + w + " x " + h + ", above the maximum of "
                    + maxSide + " pixels per side");
        }
        return new int[] {w, h};
    }

    private static int whole(String s, String size) {
        if (!s.matches("\\d{1,9}") || Integer.parseInt(s) == 0) {
            throw new IllegalArgumentException("size needs positive whole numbers: " + size);
        }
        return Integer.parseInt(s);
    }

    private static double number(String s, String size) {
        if (!s.matches("\\d{1,9}(\\.\\d{1,9})?")) {
            throw new IllegalArgumentException("size needs a number: " + size);
        }
        return Double.parseDouble(s);
    }
}
