package org.histodraw.engine.forest;

import java.util.Arrays;

/**
 * Each feature of a training set cut into at most 256 bins at quantiles of its values, so a split
 * search costs one histogram pass instead of a sort. Bin {@code b} of feature {@code f} holds the
 * values {@code x} with {@code edge(f, b - 1) < x <= edge(f, b)}. A split "bin &gt; b goes right" is
 * therefore exactly the split "x &gt; edge(f, b) goes right" on raw values: prediction on raw
 * features agrees with training bit for bit. Edges are placed between finite values only. NaN
 * counts as the lowest bin, and the raw comparison sends it left too; infinities fall in the end bins.
 */
final class FeatureBins {
    static final int MAX_BINS = 256;
    /** Values per feature looked at to place the edges: enough for stable quantiles, cheap to sort. */
    private static final int EDGE_SAMPLE = 16_384;

    private final int sampleCount;
    /** Per feature, the bin (0..255, as unsigned byte) of every sample. */
    private final byte[][] bins;
    /** Per feature, the upper value of each bin but the last. */
    private final float[][] edges;

    private FeatureBins(int sampleCount, byte[][] bins, float[][] edges) {
        this.sampleCount = sampleCount;
        this.bins = bins;
        this.edges = edges;
    }

    static FeatureBins of(TrainingSet set) {
        int n = set.sampleCount();
        int features = set.featureCount();
        float[] values = set.values();
        byte[][] bins = new byte[features][];
        float[][] edges = new float[features][];
        float[] sample = new float[Math.min(n, EDGE_SAMPLE)];
        for (int f = 0; f < features; f++) {
            edges[f] = edgesOf(values, f * n, n, sample);
            bins[f] = new BinLookup(edges[f]).binAll(values, f * n, n);
        }
        return new FeatureBins(n, bins, edges);
    }

    /**
     * Finds bins fast: a table indexed by the top bits of a value's order-preserving integer key
     * gives the first candidate bin, a short scan of the few edges in that cell finishes the job.
     * Three to four times faster than a binary search, whose chain of dependent loads stalls.
     * The scan compares floats, so the result is exactly "the number of edges below x".
     */
    static final class BinLookup {
        private static final int CELLS = 1 << 16;
        private final float[] edges;
        private final byte[] firstBin;
        private final int lowestKey;
        private final int shift;
        private final int lastCell;

        BinLookup(float[] edges) {
            this.edges = edges;
            if (edges.length == 0) {
                firstBin = new byte[1];
                lowestKey = 0;
                shift = 0;
                lastCell = 0;
                return;
            }
            lowestKey = key(edges[0]);
            long range = (long) key(edges[edges.length - 1]) - lowestKey;
            int s = 0;
            while ((range >>> s) >= CELLS) {
                s++;
            }
            shift = s;
            lastCell = (int) (range >>> s);
            firstBin = new byte[lastCell + 1];
            int pos = 0;
            for (int c = 0; c <= lastCell; c++) {
                long cellStart = lowestKey + ((long) c << s);
                while (pos < edges.length && key(edges[pos]) < cellStart) {
                    pos++;
                }
                firstBin[c] = (byte) pos;
            }
        }

        byte[] binAll(float[] values, int base, int n) {
            byte[] out = new byte[n];
            if (edges.length == 0) {
                return out;
            }
            for (int i = 0; i < n; i++) {
                out[i] = (byte) bin(values[base + i]);
            }
            return out;
        }

        /** The number of edges below {@code x}; NaN goes to bin 0. */
        int bin(float x) {
            if (x != x) {
                return 0;
            }
            long d = (long) key(x) - lowestKey;
            int pos = 0;
            if (d > 0) {
                long cell = d >>> shift;
                pos = firstBin[cell > lastCell ? lastCell : (int) cell] & 0xff;
            }
            float[] e = edges;
            while (pos < e.length && x > e[pos]) {
                pos++;
            }
            return pos;
        }

        /** An int that orders like the float (edges are never -0, so the -0/+0 split does not matter). */
        private static int key(float x) {
            int bits = Float.floatToRawIntBits(x);
            return bits ^ ((bits >> 31) & 0x7FFFFFFF);
        }
    }

    /**
     * Up to 255 strictly increasing edges. With few distinct values every gap between neighbours
     * gets an edge at its midpoint; otherwise edges sit at the 1/256 quantiles of an evenly spread
     * sample, again at midpoints between the neighbouring values (a run of equal values stays whole).
     */
    private static float[] edgesOf(float[] values, int base, int n, float[] sample) {
        int m = 0;
        int take = Math.min(n, sample.length);
        for (int j = 0; j < take; j++) {
            // evenly spread over all samples, so every tile of a concatenated set has its say
            float v = values[base + (int) ((long) j * n / take)];
            if (Float.isFinite(v)) {
                sample[m++] = v;
            }
        }
        if (m == 0) {
            return new float[0];
        }
        Arrays.sort(sample, 0, m);
        int distinct = 1;
        for (int i = 1; i < m && distinct <= MAX_BINS; i++) {
            if (sample[i] != sample[i - 1]) {
                distinct++;
            }
        }
        float[] out = new float[MAX_BINS - 1];
        int count = 0;
        if (distinct <= MAX_BINS) {
            for (int i = 1; i < m; i++) {
                if (sample[i] != sample[i - 1]) {
                    out[count++] = midpoint(sample[i - 1], sample[i]);
                }
            }
            return Arrays.copyOf(out, count);
        }
        for (int j = 1; j < MAX_BINS; j++) {
            int at = (int) ((long) j * m / MAX_BINS);
            float below = sample[at - 1];
            float above = sample[at];
            float edge = below < above ? midpoint(below, above) : above == 0f ? 0f : above;
            if (edge < sample[m - 1] && (count == 0 || edge > out[count - 1])) {
                out[count++] = edge;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /** A finite value {@code e} with {@code a <= e < b}, as near the middle as float allows, never -0. */
    private static float midpoint(float a, float b) {
        float mid = (float) (((double) a + (double) b) * 0.5);
        float e = mid < b && mid >= a ? mid : a;
        return e == 0f ? 0f : e;
    }

    int sampleCount() {
        return sampleCount;
    }

    int featureCount() {
        return bins.length;
    }

    byte[] column(int feature) {
        return bins[feature];
    }

    /** The raw threshold of "bin &gt; b goes right". */
    float edge(int feature, int bin) {
        return edges[feature][bin];
    }

    int binCount(int feature) {
        return edges[feature].length + 1;
    }
}
