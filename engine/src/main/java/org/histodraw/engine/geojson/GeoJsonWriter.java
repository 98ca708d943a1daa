package org.histodraw.engine.geojson;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.Ring;

/**
 * Writes a QuPath-compatible GeoJSON FeatureCollection polygon by polygon, so it can sit behind the
 * streaming {@link org.histodraw.engine.vector.ClassMapVectoriser} (it is a listener) and a slide's
 * annotations never need to be in memory at once. Each feature:
 * <pre>
 * {"type":"Feature","id":"…uuid…","geometry":{"type":"Polygon","coordinates":[[shell],[hole]…]},
 *  "properties":{"objectType":"annotation","classification":{"name":"Tumour","color":[r,g,b]}, …extra}}
 * </pre>
 * Rings are closed (the first vertex repeated); shells have positive shoelace area in the raw
 * coordinates, holes negative (see {@link GeoJson}). Ids are UUID-shaped and reproducible: they
 * derive from the polygon's class, coordinates and position in the file, so the same export gives
 * the same ids and different polygons get different ids.
 *
 * Fields of the collection itself (GeoJSON's "foreign members", e.g. the job that made the
 * polygons) come before {@code features}: {@code {"type":"FeatureCollection","provenance":{…},"features":[…]}}.
 *
 * <p>The collection is opened on construction; call {@link #finish()} once after the last polygon.
 */
public final class GeoJsonWriter implements Consumer<ClassifiedPolygon> {
    private final JsonWriter json;
    private final Map<String, Object> extraProperties;
    private long written;
    private boolean finished;

    public GeoJsonWriter(Appendable out) {
        this(out, Map.of(), Map.of());
    }

    /** @param extraProperties added to every feature's properties (e.g. the model that produced them) */
    public GeoJsonWriter(Appendable out, Map<String, Object> extraProperties) {
        this(out, Map.of(), extraProperties);
    }

    /**
     * @param collectionFields written once, as members of the FeatureCollection (values as
     *                         {@link JsonWriter#value(Object)} takes them: maps, lists, strings, numbers)
     * @param extraProperties  added to every feature's properties
     */
    public GeoJsonWriter(Appendable out, Map<String, Object> collectionFields, Map<String, Object> extraProperties) {
        reject(collectionFields, "collection field", "type", "features");
        reject(extraProperties, "extra property", "objectType", "classification");
        this.extraProperties = new LinkedHashMap<>(extraProperties);
        this.json = new JsonWriter(out);
        json.beginObject().name("type").value("FeatureCollection");
        for (Map.Entry<String, Object> e : collectionFields.entrySet()) {
            json.name(e.getKey()).value(e.getValue());
        }
        json.name("features").beginArray();
    }

    private static void reject(Map<String, Object> fields, String what, String... reserved) {
        for (String name : reserved) {
            if (fields.containsKey(name)) {
                throw new IllegalArgumentException(what + " \"" + name + "\" would replace the one the writer sets");
            }
        }
    }

    @Override
    public void accept(ClassifiedPolygon polygon) {
        accept(polygon, Collections.emptyIterator());
    }

    /**
     * Writes one feature whose holes are the polygon's and then {@code moreHoles}, read one at a
     * time: a region with more holes than memory holds (see {@link org.histodraw.engine.vector.HoleSpill}).
     * Its id derives from the polygon as given.
     */
    public void accept(ClassifiedPolygon polygon, Iterator<Ring> moreHoles) {
        if (finished) {
            throw new IllegalStateException("GeoJSON writer already finished");
        }
        json.beginObject();
        json.name("type").value("Feature");
        json.name("id").value(uuid(FeatureIds.mix(FeatureIds.hash(polygon, written)), FeatureIds.mix(written * 31 + 7)));
        json.name("geometry").beginObject().name("type").value("Polygon").name("coordinates").beginArray();
        ring(polygon.polygon().shell(), true);
        for (Ring h : polygon.polygon().holes()) {
            ring(h, false);
        }
        while (moreHoles.hasNext()) {
            ring(moreHoles.next(), false);
        }
        json.endArray().endObject();
        json.name("properties").beginObject();
        json.name("objectType").value("annotation");
        ImageClass c = polygon.imageClass();
        json.name("classification").beginObject().name("name").value(c.name()).name("color").beginArray()
                .value((long) (c.rgb() >> 16 & 0xff)).value((long) (c.rgb() >> 8 & 0xff)).value((long) (c.rgb() & 0xff))
                .endArray().endObject();
        for (Map.Entry<String, Object> e : extraProperties.entrySet()) {
            json.name(e.getKey()).value(e.getValue());
        }
        json.endObject();
        json.endObject();
        written++;
    }

    /** Closes the FeatureCollection. */
    public void finish() {
        if (finished) {
            throw new IllegalStateException("GeoJSON writer already finished");
        }
        finished = true;
        json.endArray().endObject();
        json.requireComplete();
    }

    public long featuresWritten() {
        return written;
    }

    private void ring(Ring ring, boolean shell) {
        int n = ring.size();
        boolean reverse = (ring.signedArea() > 0) != shell;
        json.beginArray();
        for (int k = 0; k <= n; k++) {
            int i = reverse ? (n - k % n) % n : k % n;
            json.beginArray().value(ring.x(i)).value(ring.y(i)).endArray();
        }
        json.endArray();
    }

    private static String uuid(long hi, long lo) {
        hi = (hi & ~0xf000L) | 0x4000L; // version 4 layout
        lo = (lo & 0x3fffffffffffffffL) | 0x8000000000000000L; // IETF variant
        String h = hex16(hi);
        String l = hex16(lo);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + l.substring(0, 4) + "-"
                + l.substring(4);
    }

    private static String hex16(long v) {
        String s = Long.toHexString(v);
        return "0000000000000000".substring(s.length()) + s;
    }
}
