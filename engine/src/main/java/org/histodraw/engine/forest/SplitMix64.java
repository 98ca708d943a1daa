package org.histodraw.engine.forest;

/**
 * A small, fast, fully specified random stream (Steele, Lea and Flood's SplitMix64), so a forest
 * grown from a seed is the same on every JVM and in the browser. Not for cryptography.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The stream of tree {@code tree} of a forest seeded with {@code seed}: depends on nothing else. */
    static SplitMix64 forTree(long seed, int tree) {
        return new SplitMix64(mix(seed ^ mix(GOLDEN_GAMMA * (tree + 1L))));
    }

    long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /** Uniform in [0, bound) for bound &gt; 0 (multiply-shift; bias below 2^-32 * bound). */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
