package org.histodraw.engine.pipeline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestCodec;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.geojson.GeoJson;

/**
 * Reads and writes HistoDraw model files ({@code .hdm}). Format version 2, big-endian (version 1,
 * written when a model has neither an overview nor a feature choice, lacks the two fields marked 2):
 * <pre>
 *   8 bytes   magic "HDMODEL\0"
 *   int       format version (1)
 *   string    id, name          (string = int byte length + UTF-8 bytes)
 *   long      created (ms since epoch)
 *   string    feature settings  (FeatureSettings text form)
 *   int       class count, then per class: string name, int colour 0xRRGGBB
 *   int       training snapshot count, then per snapshot: string image name, int width, int height,
 *             string regions as a GeoJSON FeatureCollection
 *   int       forest byte length, then the forest (see ForestCodec)
 *   2: int    overview resolution (0 = none), then string overview features, int forest byte length, forest
 *   2: string how the features were chosen
 *   long      FNV-1a 64 checksum of every byte before it
 * </pre>
 * A file that is not a model, of a newer version, truncated or damaged fails with an
 * {@link IllegalArgumentException} that says which.
 */
public final class ModelCodec {
    private static final byte[] MAGIC = "HDMODEL\0".getBytes(StandardCharsets.US_ASCII);
    public static final int FORMAT_VERSION = 2;
    private static final int MAX_STRING_BYTES = 256 << 20;

    private ModelCodec() {
    }

    public static byte[] write(SegmentationModel model) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            boolean extras = model.overview() != null || !model.featureChoice().isEmpty();
            out.write(MAGIC);
            out.writeInt(extras ? FORMAT_VERSION : 1);
            writeString(out, model.id());
            writeString(out, model.name());
            out.writeLong(model.createdAt());
            writeString(out, model.features().toText());
            writeClasses(out, model.classes());
            out.writeInt(model.training().size());
            for (TrainingSnapshot s : model.training()) {
                writeString(out, s.imageName());
                out.writeInt(s.width());
                out.writeInt(s.height());
                StringBuilder json = new StringBuilder();
                GeoJson.write(s.regions(), json);
                writeString(out, json.toString());
            }
            byte[] forest = ForestCodec.toBytes(model.forest());
            out.writeInt(forest.length);
            out.write(forest);
            if (extras) {
                Overview overview = model.overview();
                out.writeInt(overview == null ? 0 : overview.resolution());
                if (overview != null) {
                    writeString(out, overview.features().toText());
                    byte[] coarse = ForestCodec.toBytes(overview.forest());
                    out.writeInt(coarse.length);
                    out.write(coarse);
                }
                writeString(out, model.featureChoice());
            }
            out.flush();
            long checksum = fnv1a(bytes.toByteArray(), bytes.size());
            out.writeLong(checksum);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen on a byte array
        }
    }

    public static SegmentationModel read(byte[] data) {
        if (data.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a HistoDraw model file (it does not start with HDMODEL)");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            in.readFully(new byte[MAGIC.length]);
            int version = in.readInt();
            if (version > FORMAT_VERSION || version < 1) {
                throw new IllegalArgumentException("unsupported model format version " + version
                        + " (this HistoDraw reads version " + FORMAT_VERSION + ")");
            }
            if (data.length < MAGIC.length + 12) {
                throw new EOFException();
            }
            long stored = readLongAt(data, data.length - 8);
            if (stored != fnv1a(data, data.length - 8)) {
                throw new IllegalArgumentException("model file is damaged (checksum mismatch)");
            }
            String id = readString(in);
            String name = readString(in);
            long created = in.readLong();
            FeatureSettings features = FeatureSettings.parse(readString(in));
            ClassList classes = readClasses(in);
            int snapshots = in.readInt();
            checkCount(snapshots, "training snapshot");
            List<TrainingSnapshot> training = new ArrayList<>();
            for (int i = 0; i < snapshots; i++) {
                String image = readString(in);
                int w = in.readInt();
                int h = in.readInt();
                String json = readString(in);
                training.add(new TrainingSnapshot(image, w, h, GeoJson.readRegions(json, classes)));
            }
            int forestLength = in.readInt();
            checkCount(forestLength, "forest byte");
            byte[] forestBytes = new byte[forestLength];
            in.readFully(forestBytes);
            RandomForest forest = ForestCodec.fromBytes(forestBytes);
            Overview overview = null;
            String choice = "";
            if (version >= 2) {
                int resolution = in.readInt();
                if (resolution != 0) {
                    FeatureSettings coarseFeatures = FeatureSettings.parse(readString(in));
                    int coarseLength = in.readInt();
                    checkCount(coarseLength, "overview forest byte");
                    byte[] coarse = new byte[coarseLength];
                    in.readFully(coarse);
                    overview = new Overview(resolution, coarseFeatures, ForestCodec.fromBytes(coarse));
                }
                choice = readString(in);
            }
            return new SegmentationModel(id, name, created, features, classes, forest, training, overview, choice);
        } catch (EOFException e) {
            throw new IllegalArgumentException("model file is truncated");
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen on a byte array
        }
    }

    /** A stable id for a model's content: the same features, classes and forest give the same id. */
    public static String contentId(FeatureSettings features, ClassList classes, RandomForest forest) {
        return contentId(features, classes, forest, null);
    }

    /** As {@link #contentId(FeatureSettings, ClassList, RandomForest)}, with the overview (if any) part of the content. */
    public static String contentId(FeatureSettings features, ClassList classes, RandomForest forest, Overview overview) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            writeString(out, features.toText());
            writeClasses(out, classes);
            out.write(ForestCodec.toBytes(forest));
            if (overview != null) {
                out.writeInt(overview.resolution());
                writeString(out, overview.features().toText());
                out.write(ForestCodec.toBytes(overview.forest()));
            }
            out.flush();
            String hex = Long.toHexString(fnv1a(bytes.toByteArray(), bytes.size()));
            return "0".repeat(16 - hex.length()) + hex;
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen on a byte array
        }
    }

    private static void writeClasses(DataOutputStream out, ClassList classes) throws IOException {
        out.writeInt(classes.size());
        for (ImageClass c : classes.classes()) {
            writeString(out, c.name());
            out.writeInt(c.rgb());
        }
    }

    private static ClassList readClasses(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 2 || n > 255) {
            throw new IllegalArgumentException("model file is damaged (class count " + n + ")");
        }
        List<ImageClass> classes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            classes.add(new ImageClass(i, readString(in), in.readInt()));
        }
        return new ClassList(classes);
    }

    private static void checkCount(int n, String what) {
        if (n < 0 || n > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("model file is damaged (" + what + " count " + n + ")");
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        checkCount(n, "string byte");
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static long readLongAt(byte[] data, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[offset + i] & 0xff);
        }
        return v;
    }

    static long fnv1a(byte[] data, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h ^= data[i] & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
