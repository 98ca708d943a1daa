package org.histodraw.engine.forest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

/**
 * Saves and loads a {@link RandomForest}. A loaded forest predicts bit for bit like the saved one,
 * and the same forest always gives the same bytes.
 *
 * <p>Format version 1, big-endian ({@link DataOutput} order):
 * <pre>
 *   4 bytes  magic "HDRF"
 *   int      format version (1)
 *   int      payload length in bytes
 *   payload:
 *     int      feature count F, class count K, tree count T
 *     settings int trees, maxDepth, minSamplesLeaf, featuresPerSplit, maxSamplesPerTree;
 *              byte balanceClasses (0/1); long seed
 *     double   out-of-bag accuracy, then K doubles: out-of-bag recall per class (NaN = not evaluated)
 *     F doubles  feature importances
 *     T times, one per tree:
 *       int      node count N, leaf count L
 *       N nodes, breadth-first from the root, 12 bytes each:
 *         int    feature (0..F-1), or -1 for a leaf
 *         float  threshold: x[feature] &gt; threshold goes to the right child (ignored for a leaf)
 *         int    internal node: index of its left child within the tree (the right one follows);
 *                leaf: its leaf number 0..L-1
 *       L * K floats  class probabilities of each leaf
 *   int      CRC-32 (IEEE, as in zip and PNG) of the payload bytes
 * </pre>
 * Reading fails with a {@link ForestFormatException} that says what is wrong: "not a HistoDraw
 * forest", "unsupported forest format version 9", "forest file is truncated", "checksum mismatch"
 * or, for a payload that passes the checksum but does not make a forest, "corrupt forest: ...".
 * Reading never trusts a count before checking it against the bytes present.
 */
public final class ForestCodec {
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'H', 'D', 'R', 'F'};

    private ForestCodec() {
    }

    public static byte[] toBytes(RandomForest forest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(forest, new DataOutputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e); // cannot happen
        }
        return bytes.toByteArray();
    }

    /** Reads a forest that fills exactly {@code bytes}. */
    public static RandomForest fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        RandomForest forest;
        try {
            forest = read(new DataInputStream(in));
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e); // cannot happen
        }
        if (in.available() > 0) {
            throw new ForestFormatException("unexpected " + in.available() + " bytes after the forest");
        }
        return forest;
    }

    public static void write(RandomForest forest, DataOutput out) throws IOException {
        Objects.requireNonNull(forest, "forest");
        Objects.requireNonNull(out, "out");
        byte[] payload = payload(forest);
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeInt(payload.length);
        out.write(payload);
        out.writeInt(Crc32.of(payload, 0, payload.length));
    }

    /**
     * Reads one forest. I/O errors of the source pass through; an end of input before the forest is
     * complete is reported as a truncated file.
     */
    public static RandomForest read(DataInput in) throws IOException {
        Objects.requireNonNull(in, "in");
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            for (int i = 0; i < MAGIC.length; i++) {
                if (magic[i] != MAGIC[i]) {
                    throw new ForestFormatException("not a HistoDraw forest: the file starts with "
                            + hex(magic) + ", not \"HDRF\"");
                }
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new ForestFormatException("unsupported forest format version " + version
                        + " (this build reads version " + FORMAT_VERSION + ")");
            }
            int length = in.readInt();
            if (length < 0) {
                throw new ForestFormatException("corrupt forest: negative payload length " + length);
            }
            byte[] payload = readPayload(in, length);
            int stored = in.readInt();
            int actual = Crc32.of(payload, 0, payload.length);
            if (stored != actual) {
                throw new ForestFormatException("forest file is damaged: checksum mismatch (stored "
                        + Integer.toHexString(stored) + ", computed " + Integer.toHexString(actual) + ")");
            }
            return parse(payload);
        } catch (EOFException e) {
            throw new ForestFormatException("forest file is truncated");
        }
    }

    /** Reads in chunks so a damaged length cannot make us allocate gigabytes up front. */
    private static byte[] readPayload(DataInput in, int length) throws IOException {
        int chunk = 1 << 20;
        byte[] buffer = new byte[Math.min(length, chunk)];
        int filled = 0;
        while (filled < length) {
            int n = Math.min(chunk, length - filled);
            if (filled + n > buffer.length) {
                byte[] bigger = new byte[(int) Math.min(length, Math.max((long) buffer.length * 2, filled + n))];
                System.arraycopy(buffer, 0, bigger, 0, filled);
                buffer = bigger;
            }
            in.readFully(buffer, filled, n);
            filled += n;
        }
        return buffer;
    }

    private static byte[] payload(RandomForest forest) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int k = forest.classCount();
        int f = forest.featureCount();
        int[] roots = forest.treeRoots();
        int[] feature = forest.features();
        float[] threshold = forest.thresholds();
        int[] left = forest.lefts();
        int[] leafOffset = forest.leafOffsets();
        float[] dist = forest.distributions();
        out.writeInt(f);
        out.writeInt(k);
        out.writeInt(roots.length);
        ForestSettings s = forest.settings();
        out.writeInt(s.trees());
        out.writeInt(s.maxDepth());
        out.writeInt(s.minSamplesLeaf());
        out.writeInt(s.featuresPerSplit());
        out.writeInt(s.maxSamplesPerTree());
        out.writeByte(s.balanceClasses() ? 1 : 0);
        out.writeLong(s.seed());
        out.writeDouble(forest.outOfBagAccuracy());
        for (double d : forest.outOfBagPerClassArray()) {
            out.writeDouble(d);
        }
        for (double d : forest.importancesArray()) {
            out.writeDouble(d);
        }
        int distStart = 0;
        for (int t = 0; t < roots.length; t++) {
            int first = roots[t];
            int end = t + 1 < roots.length ? roots[t + 1] : feature.length;
            int leaves = 0;
            for (int n = first; n < end; n++) {
                leaves += left[n] == n ? 1 : 0;
            }
            out.writeInt(end - first);
            out.writeInt(leaves);
            for (int n = first; n < end; n++) {
                if (left[n] == n) {
                    out.writeInt(-1);
                    out.writeFloat(0f);
                    out.writeInt((leafOffset[n] - distStart) / k);
                } else {
                    out.writeInt(feature[n]);
                    out.writeFloat(threshold[n]);
                    out.writeInt(left[n] - first);
                }
            }
            for (int i = 0; i < leaves * k; i++) {
                out.writeFloat(dist[distStart + i]);
            }
            distStart += leaves * k;
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static RandomForest parse(byte[] payload) throws IOException {
        Reader in = new Reader(payload);
        int f = in.count("feature count", 1, 1 << 20);
        int k = in.count("class count", 1, 255);
        int trees = in.count("tree count", 1, ForestSettings.MAX_TREES);
        ForestSettings settings;
        try {
            settings = new ForestSettings(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readByte() != 0, in.readLong());
        } catch (ForestFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ForestFormatException("corrupt forest: " + e.getMessage());
        }
        double oob = in.readDouble();
        double[] oobPerClass = new double[k];
        for (int i = 0; i < k; i++) {
            oobPerClass[i] = in.readDouble();
        }
        in.need((long) f * 8, "feature importances");
        double[] importances = new double[f];
        for (int i = 0; i < f; i++) {
            importances[i] = in.readDouble();
        }
        // Sizes first, so the arrays can be allocated once; each count is checked against the bytes left.
        int[] treeRoot = new int[trees];
        int[] treeDepth = new int[trees];
        int totalNodes = 0;
        int totalLeaves = 0;
        int[][] feature = new int[trees][];
        float[][] threshold = new float[trees][];
        int[][] link = new int[trees][];
        float[][] dist = new float[trees][];
        for (int t = 0; t < trees; t++) {
            int nodes = in.count("node count of tree " + t, 1, Integer.MAX_VALUE);
            int leaves = in.count("leaf count of tree " + t, 1, nodes);
            in.need((long) nodes * 12 + (long) leaves * k * 4, "tree " + t);
            feature[t] = new int[nodes];
            threshold[t] = new float[nodes];
            link[t] = new int[nodes];
            for (int n = 0; n < nodes; n++) {
                feature[t][n] = in.readInt();
                threshold[t][n] = in.readFloat();
                link[t][n] = in.readInt();
            }
            dist[t] = new float[leaves * k];
            for (int i = 0; i < dist[t].length; i++) {
                dist[t][i] = in.readFloat();
            }
            treeRoot[t] = totalNodes;
            totalNodes = Math.addExact(totalNodes, nodes);
            totalLeaves = Math.addExact(totalLeaves, leaves);
        }
        if (in.remaining() != 0) {
            throw new ForestFormatException("corrupt forest: " + in.remaining() + " unread payload bytes");
        }
        int[] allFeature = new int[totalNodes];
        float[] allThreshold = new float[totalNodes];
        int[] allLeft = new int[totalNodes];
        int[] allLeafOffset = new int[totalNodes];
        float[] allDist = new float[Math.multiplyExact(totalLeaves, k)];
        int distStart = 0;
        for (int t = 0; t < trees; t++) {
            int base = treeRoot[t];
            int nodes = feature[t].length;
            int leaves = dist[t].length / k;
            int[] depth = new int[nodes];
            boolean[] isChild = new boolean[nodes];
            int deepest = 0;
            for (int n = 0; n < nodes; n++) {
                int feat = feature[t][n];
                int l = link[t][n];
                if (feat == -1) {
                    if (l < 0 || l >= leaves) {
                        throw new ForestFormatException("corrupt forest: leaf node " + n + " of tree " + t
                                + " has leaf number " + l + " (tree has " + leaves + " leaves)");
                    }
                    allFeature[base + n] = 0;
                    allThreshold[base + n] = Float.POSITIVE_INFINITY;
                    allLeft[base + n] = base + n;
                    allLeafOffset[base + n] = distStart + l * k;
                    deepest = Math.max(deepest, depth[n]);
                } else {
                    if (feat < 0 || feat >= f) {
                        throw new ForestFormatException("corrupt forest: node " + n + " of tree " + t
                                + " tests feature " + feat + " of " + f);
                    }
                    // children after their parent: no cycles, every walk ends at a leaf
                    if (l <= n || l >= nodes - 1 || isChild[l] || isChild[l + 1]) {
                        throw new ForestFormatException("corrupt forest: node " + n + " of tree " + t
                                + " has bad children " + l + ", " + (l + 1));
                    }
                    isChild[l] = true;
                    isChild[l + 1] = true;
                    depth[l] = depth[n] + 1;
                    depth[l + 1] = depth[n] + 1;
                    allFeature[base + n] = feat;
                    allThreshold[base + n] = threshold[t][n];
                    allLeft[base + n] = base + l;
                }
            }
            for (int n = 1; n < nodes; n++) {
                if (!isChild[n]) {
                    throw new ForestFormatException("corrupt forest: node " + n + " of tree " + t + " has no parent");
                }
            }
            treeDepth[t] = deepest;
            System.arraycopy(dist[t], 0, allDist, distStart, dist[t].length);
            distStart += dist[t].length;
        }
        return new RandomForest(settings, f, k, treeRoot, treeDepth, allFeature, allThreshold, allLeft,
                allLeafOffset, allDist, oob, oobPerClass, importances);
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return s.toString();
    }

    /** Big-endian reads from the payload; running out means a corrupt payload, not a short file. */
    private static final class Reader {
        private final byte[] bytes;
        private int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - pos;
        }

        void need(long count, String what) {
            if (count > remaining()) {
                throw new ForestFormatException("corrupt forest: " + what + " needs " + count + " bytes, "
                        + remaining() + " left");
            }
        }

        int count(String what, int min, int max) {
            int v = readInt();
            if (v < min || v > max) {
                throw new ForestFormatException("corrupt forest: " + what + " " + v + " outside " + min + ".." + max);
            }
            return v;
        }

        byte readByte() {
            need(1, "a byte");
            return bytes[pos++];
        }

        int readInt() {
            need(4, "an int");
            int v = (bytes[pos] & 0xff) << 24 | (bytes[pos + 1] & 0xff) << 16 | (bytes[pos + 2] & 0xff) << 8
                    | (bytes[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        long readLong() {
            long hi = readInt() & 0xffffffffL;
            return hi << 32 | (readInt() & 0xffffffffL);
        }

        float readFloat() {
            return Float.intBitsToFloat(readInt());
        }

        double readDouble() {
            return Double.longBitsToDouble(readLong());
        }
    }
}
