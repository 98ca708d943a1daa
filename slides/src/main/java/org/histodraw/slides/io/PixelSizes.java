package org.histodraw.slides.io;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Pixel size from image metadata, through the format-neutral "javax_imageio_1.0" tree that the PNG
 * (pHYs), JPEG (JFIF density) and TIFF (X/YResolution + ResolutionUnit) readers all fill in
 * (HorizontalPixelSize, in millimetres). Aperio's "MPP = 0.2520" in the TIFF description wins
 * over resolution tags, which scanners often leave at a default.
 */
final class PixelSizes {
    private static final Pattern APERIO_MPP = Pattern.compile("\\bMPP\\s*=\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

    private PixelSizes() {
    }

    /** Never fails: metadata is a bonus, and a file with broken metadata may still have good pixels. */
    static Optional<Double> micronsPerPixel(ImageReader reader, int level) {
        try {
            IIOMetadata metadata = reader.getImageMetadata(level);
            if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
                return Optional.empty();
            }
            Node root = metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName);
            Optional<Double> aperio = aperio(root);
            if (aperio.isPresent()) {
                return aperio;
            }
            String mm = value(child(child(root, "Dimension"), "HorizontalPixelSize"));
            return mm == null ? Optional.empty() : fromMillimetres(Double.parseDouble(mm));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * The pixel size of a PNG's pHYs chunk in pixels per metre, as ImageIO's PNG metadata states it
     * (a float of millimetres, 1000 / pixels per metre), so both ways of opening a PNG agree.
     */
    static Optional<Double> fromPixelsPerMetre(int pixelsPerMetre) {
        return fromMillimetres(Double.parseDouble(Float.toString(1000.0F / pixelsPerMetre)));
    }

    /** A pixel size a microscope can have (0 < microns < 10^6), else empty. */
    static Optional<Double> plausibleMicrons(double microns) {
        return microns > 0 && microns < 1e6 ? Optional.of(microns) : Optional.empty();
    }

    /** Microns from millimetres per pixel, dropping the 72 and 96 dpi that writers put in by default. */
    static Optional<Double> fromMillimetres(double mmPerPixel) {
        if (!(mmPerPixel > 0) || Double.isInfinite(mmPerPixel)) {
            return Optional.empty();
        }
        double dpi = 25.4 / mmPerPixel;
        // PNG stores whole pixels per metre: 96 dpi becomes 3780 ppm = 96.01 dpi, so allow a little slack.
        if (Math.abs(dpi - 72) < 0.05 || Math.abs(dpi - 96) < 0.05) {
            return Optional.empty();
        }
        return Optional.of(mmPerPixel * 1000);
    }

    private static Optional<Double> aperio(Node root) {
        for (Node n = firstChild(child(root, "Text")); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "ImageDescription".equals(e.getAttribute("keyword"))) {
                Matcher m = APERIO_MPP.matcher(e.getAttribute("value"));
                if (m.find()) {
                    double mpp = Double.parseDouble(m.group(1));
                    return mpp > 0 ? Optional.of(mpp) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Node child(Node parent, String name) {
        for (Node n = firstChild(parent); n != null; n = n.getNextSibling()) {
            if (name.equals(n.getNodeName())) {
                return n;
            }
        }
        return null;
    }

    private static Node firstChild(Node n) {
        return n == null ? null : n.getFirstChild();
    }

    private static String value(Node n) {
        return n instanceof Element e && e.hasAttribute("value") ? e.getAttribute("value") : null;
    }
}
