package org.histodraw.server.exchange;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.geojson.QuPathFile;
import org.histodraw.engine.geojson.QuPathObject;
import org.histodraw.engine.geojson.QuPathReader;
import org.histodraw.engine.geojson.Skipped;
import org.histodraw.server.geometry.JtsPolygonRepair;

/**
 * Reads a QuPath GeoJSON file into regions to store, feature by feature, with the engine's
 * {@link QuPathReader} (invalid outlines repaired by {@link JtsPolygonRepair}, as
 * {@code histodraw segment --labels} does): annotations go to one layer, detections, cells and
 * tiles (QuPath's analysis results) to another, and every feature that gives no region is in the
 * report with the reason.
 */
public final class QuPathImport {
    /** The layer QuPath's detections, cells and tiles go to unless the caller names one. */
    public static final String DETECTIONS = "detections";

    private QuPathImport() {
    }

    /**
     * @param text            the file
     * @param annotationLayer where annotations (and TMA cores) go
     * @param detectionLayer  where detections, cells and tiles go
     * @throws IllegalArgumentException when the file is not JSON or not GeoJSON at all
     */
    public static List<IncomingRegion> read(String text, String annotationLayer, String detectionLayer, String provenance,
                                            ImportReport report) {
        QuPathFile file = QuPathReader.read(text, JtsPolygonRepair.INSTANCE);
        for (Skipped s : file.skipped()) {
            report.skipped(s.at(), s.id(), s.reason());
        }
        List<IncomingRegion> out = new ArrayList<>(file.objects().size());
        for (QuPathObject o : file.objects()) {
            try {
                out.add(QuPathRegions.incoming(o, o.isDetection() ? detectionLayer : annotationLayer, provenance));
            } catch (QuPathRegions.Unstorable e) {
                report.skipped(o.at(), o.id(), e.getMessage());
            }
        }
        return out;
    }
}
