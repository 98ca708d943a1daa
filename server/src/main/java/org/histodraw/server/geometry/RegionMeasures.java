package org.histodraw.server.geometry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.server.store.RegionQueries;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slice;
import org.locationtech.jts.geom.Geometry;

/**
 * What a pathologist measures on regions: area and perimeter of each (JTS: holes subtract from the
 * area; the perimeter counts every ring, holes included, as QuPath does), in pixels and, when the
 * slide knows its pixel size, in µm² and µm; and per class the count and totals, for a slice or a
 * whole series.
 */
public final class RegionMeasures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegionMeasures() {
    }

    /** One region's measures; the µm values are null when the slide's pixel size is unknown. */
    public record Row(long id, String layer, String className, String author, double areaPx, double perimeterPx,
                      Double areaUm2, Double perimeterUm) {
    }

    /** Count and totals of one class in one layer of one slice. */
    public record Total(long slice, String layer, String className, int count, double areaPx, double perimeterPx,
                        Double areaUm2, Double perimeterUm) {
    }

    /** Every region of the slice (of one layer when {@code layer} is not null), in id order. */
    public static List<Row> regions(Regions regions, Slice slice, String layer) {
        List<Row> rows = new ArrayList<>();
        Double mpp = slice.micronsPerPixel();
        regions.queries().query(new RegionQueries.Query(slice.id(), layer, null, null, 0, 0), slice.width(), slice.height(), r -> {
            Geometry g = Outline.parse(r.geometry()).toJts();
            double area = g.getArea(), perimeter = g.getLength();
            rows.add(new Row(r.id(), r.layer(), r.className(), author(r.provenance()), area, perimeter,
                    mpp == null ? null : area * mpp * mpp, mpp == null ? null : perimeter * mpp));
        });
        return rows;
    }

    /** Per layer and class of each slice: how many regions, their total area and perimeter. */
    public static List<Total> totals(Regions regions, List<Slice> slices, String layer) {
        List<Total> out = new ArrayList<>();
        for (Slice s : slices) {
            Map<List<String>, double[]> sums = new LinkedHashMap<>();
            for (Row r : regions(regions, s, layer)) {
                double[] t = sums.computeIfAbsent(java.util.Arrays.asList(r.layer(), r.className()), k -> new double[3]);
                t[0]++;
                t[1] += r.areaPx();
                t[2] += r.perimeterPx();
            }
            Double mpp = s.micronsPerPixel();
            sums.forEach((key, t) -> out.add(new Total(s.id(), key.get(0), key.get(1), (int) t[0], t[1], t[2],
                    mpp == null ? null : t[1] * mpp * mpp, mpp == null ? null : t[2] * mpp)));
        }
        return out;
    }

    /**
     * Who made a region, from its provenance: the user who drew (or accepted) it, else the model
     * (its name) or the service that generated it.
     */
    static String author(String provenance) {
        if (provenance == null) {
            return null;
        }
        try {
            JsonNode p = JSON.readTree(provenance);
            for (String field : new String[] {"user", "modelName", "model", "service"}) {
                if (p.path(field).isTextual() && !p.get(field).asText().isBlank()) {
                    return p.get(field).asText();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
